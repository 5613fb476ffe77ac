import type { ModelRules } from "../../llm/model-rules.ts";

/**
 * Anthropic's parameter rules for a model the catalogue has no row for yet (the catalogue's stored
 * rules win): `max_tokens` always; the newest Claude models (4.7 and later) refuse `temperature`,
 * earlier ones take it. No `reasoning_effort` parameter.
 */
export function anthropicRulesFor(modelId: string): ModelRules {
  const version = /^claude-(?:opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?:-|$)/.exec(modelId);
  const major = version ? Number(version[1]) : 0;
  const minor = version?.[2] ? Number(version[2]) : 0;
  const refusesTemperature = major > 4 || (major === 4 && minor >= 7);
  return {
    tokenParameter: "max_tokens",
    temperature: refusesTemperature ? "refused" : "accepted",
    takesReasoningEffort: false,
  };
}
