import type OpenAI from "openai";
import type { ChatRequest } from "../../llm/chat.ts";
import type { ModelRules } from "../../llm/model-rules.ts";

/**
 * What a compatible endpoint is sent: only the parameters Cohere's Compatibility API lists as
 * supported (docs.cohere.com/docs/compatibility-api, "Supported parameters": model, messages,
 * stream, max_tokens, temperature, response_format, ...), which OpenRouter, vLLM and Ollama take
 * too. Never `max_completion_tokens`, `stream_options` or `reasoning_effort` (not listed, or only
 * some values), nor anything on its "Unsupported parameters" list.
 */
export const COMPATIBLE_RULES: ModelRules = { tokenParameter: "max_tokens", temperature: "accepted", takesReasoningEffort: false };

/** The Chat Completions body of one chat turn; a temperature the catalogue says the model refuses is left out. */
export function chatBody(request: ChatRequest) {
  const rules = request.rules ?? COMPATIBLE_RULES;
  return {
    model: request.model,
    messages: request.messages,
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.temperature === undefined || rules.temperature !== "accepted" ? {} : { temperature: request.temperature }),
  } satisfies OpenAI.Chat.ChatCompletionCreateParams;
}
