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

/** The effort chat asks for where the family takes one: persona replies need no deliberation. */
export const CHAT_REASONING_EFFORT = "none";

/**
 * The length, temperature and reasoning parameters of one request, built by the model's rules:
 * a parameter the model refuses is never sent.
 */
export function parametersFor(
  rules: ModelRules,
  wanted: { maxTokens?: number; temperature?: number; reasoningEffort?: string },
): Record<string, unknown> {
  const effort = rules.takesReasoningEffort ? wanted.reasoningEffort ?? CHAT_REASONING_EFFORT : undefined;
  const temperatureAllowed = rules.temperature === "accepted" ||
    (rules.temperature === "without_reasoning" && effort === "none");
  return {
    ...(wanted.maxTokens === undefined ? {} : { [rules.tokenParameter]: wanted.maxTokens }),
    ...(wanted.temperature !== undefined && temperatureAllowed ? { temperature: wanted.temperature } : {}),
    ...(effort === undefined ? {} : { reasoning_effort: effort }),
  };
}
