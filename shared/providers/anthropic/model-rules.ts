import type { ModelRules } from "../../llm/model-rules.ts";

/**
 * Anthropic's parameter rules, the same for every Claude model: `max_tokens` always, no
 * `reasoning_effort`, and no `temperature`. API version 2026-10-21, which `@anthropic-ai/sdk` 1.x
 * sends, refuses sampling parameters on every model (the SDK's request type has none).
 */
export function anthropicRulesFor(_modelId: string): ModelRules {
  return { tokenParameter: "max_tokens", temperature: "refused", takesReasoningEffort: false };
}
