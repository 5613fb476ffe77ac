import type { ModelRules } from "../../llm/model-rules.ts";

/**
 * OpenAI's parameter rules by model family, for a model the catalogue has no row for yet (the
 * catalogue's stored rules win). The reasoning families (o-series, gpt-5 and later, gpt-6) refuse
 * `max_tokens`, take `reasoning_effort`, and refuse `temperature` unless the effort is `none`.
 */
const REASONING_FAMILY = /^(?:ft:)?(?:o\d|gpt-(?:[5-9]|\d{2,}))(?:[.\-:]|$)/;

export function openAIRulesFor(modelId: string): ModelRules {
  return REASONING_FAMILY.test(modelId)
    ? { tokenParameter: "max_completion_tokens", temperature: "without_reasoning", takesReasoningEffort: true }
    : { tokenParameter: "max_tokens", temperature: "accepted", takesReasoningEffort: false };
}

/** From least to most deliberation, as the `openai` package's `ReasoningEffort` lists them. */
export const REASONING_EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh", "max"] as const;
export type ReasoningEffortValue = (typeof REASONING_EFFORTS)[number];

/**
 * The `reasoning_effort` values a model accepts (OpenAI's reasoning guide): `none` only from gpt-5.1
 * on; gpt-5, -mini and -nano start at `minimal`; gpt-5-pro takes `high` alone; the o-series takes
 * low to high. Anything else answers 400 `unsupported_value`.
 */
export function reasoningEffortsFor(modelId: string): readonly ReasoningEffortValue[] {
  const base = modelId.startsWith("ft:") ? modelId.split(":")[1] ?? modelId : modelId;
  if (/^o\d/.test(base)) return ["low", "medium", "high"];
  if (/^gpt-5-pro(?:$|[-:])/.test(base)) return ["high"];
  if (/^gpt-5(?:$|[-:])/.test(base)) return ["minimal", "low", "medium", "high"];
  return ["none", "low", "medium", "high"];
}

/**
 * The effort to send for a wanted one: itself where the model takes it, else the least deliberate
 * the model accepts above it (gpt-5 gets `minimal` for `none`), else the most it accepts.
 */
export function effortFor(modelId: string, wanted: string): ReasoningEffortValue {
  const accepted = reasoningEffortsFor(modelId);
  const rank = (effort: string) => REASONING_EFFORTS.indexOf(effort as ReasoningEffortValue);
  return accepted.find((effort) => rank(effort) >= rank(wanted)) ?? accepted[accepted.length - 1];
}

/** The effort chat asks for where the family takes one: persona replies need no deliberation. */
export const CHAT_REASONING_EFFORT = "none";

/**
 * The length, temperature and reasoning parameters of one request to `wanted.model`, built by the
 * model's rules: a parameter or an effort value the model refuses is never sent.
 */
export function parametersFor(
  rules: ModelRules,
  wanted: { model: string; maxTokens?: number; temperature?: number; reasoningEffort?: string },
): { max_tokens?: number; max_completion_tokens?: number; temperature?: number; reasoning_effort?: ReasoningEffortValue } {
  const effort = rules.takesReasoningEffort
    ? effortFor(wanted.model, wanted.reasoningEffort ?? CHAT_REASONING_EFFORT)
    : undefined;
  const temperatureAllowed = rules.temperature === "accepted" ||
    (rules.temperature === "without_reasoning" && effort === "none");
  return {
    ...(wanted.maxTokens === undefined ? {} : { [rules.tokenParameter]: wanted.maxTokens }),
    ...(wanted.temperature !== undefined && temperatureAllowed ? { temperature: wanted.temperature } : {}),
    ...(effort === undefined ? {} : { reasoning_effort: effort }),
  };
}
