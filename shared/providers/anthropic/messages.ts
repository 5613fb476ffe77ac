import type { ChatMessage } from "../../llm/chat.ts";
import type { ModelRules } from "../../llm/model-rules.ts";
import { anthropicRulesFor } from "./model-rules.ts";

/** Anthropic requires `max_tokens`; our callers may leave it out. */
export const DEFAULT_MAX_TOKENS = 1024;

/**
 * Our chat messages in the Messages API's shape: system turns become the `system` parameter,
 * the rest keep their order; temperature only where the model takes it.
 */
export function messagesRequest(request: {
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  rules?: ModelRules;
}) {
  const rules = request.rules ?? anthropicRulesFor(request.model);
  const system = request.messages.filter((message) => message.role === "system").map((message) => message.content);
  const turns = request.messages
    .filter((message) => message.role !== "system")
    .map((message) => ({ role: message.role as "user" | "assistant", content: message.content }));
  return {
    model: request.model,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    ...(system.length > 0 ? { system: system.join("\n\n") } : {}),
    messages: turns,
    ...(request.temperature !== undefined && rules.temperature === "accepted" ? { temperature: request.temperature } : {}),
  };
}
