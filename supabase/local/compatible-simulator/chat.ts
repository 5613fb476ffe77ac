/** POST /compatibility/v1/chat/completions: Chat Completions as Cohere's Compatibility API answers them. */
import { http, HttpResponse } from "msw";
import type OpenAI from "openai";
import { estimateMessageTokens, estimateTokens } from "../../../shared/llm/tokens.ts";
import { inCharacterReply } from "../openai-simulator/chat.ts";
import { fillJsonSchema, type JsonSchema } from "../openai-simulator/json-schema-fill.ts";
import { type ChatMessage, lastUserText, messageText, personaName, requestedItemCount } from "../openai-simulator/prompt-reading.ts";
import { readJsonObject } from "../openai-simulator/responses.ts";
import { record } from "../recorded.ts";
import { SIM_COHERE_MODELS } from "./models.ts";
import { refusedParameter } from "./parameters.ts";
import { cohereError, modelNotFound } from "./responses.ts";
import type { CompatibleSimState } from "./state.ts";
import { readPersonaFacts } from "../openai-simulator/persona-voice.ts";

const WORDS_PER_DELTA = 3;

/** The reply: JSON for `json_object` (filling its `schema` when given), else an in-character sentence. */
function replyText(body: Record<string, unknown>, messages: ChatMessage[]): string {
  const format = body.response_format as { type?: string; schema?: JsonSchema } | undefined;
  const persona = personaName(messages);
  if (format?.type !== "json_object") return inCharacterReply(persona, lastUserText(messages));
  const schema = format.schema ?? { type: "object", properties: { reply: { type: "string" } }, required: ["reply"] };
  return JSON.stringify(fillJsonSchema(schema, { persona, requestedCount: requestedItemCount(lastUserText(messages)), facts: readPersonaFacts(messages) }));
}

function usageOf(messages: ChatMessage[], text: string): OpenAI.CompletionUsage {
  const prompt_tokens = messages.reduce((sum, message) => sum + estimateMessageTokens(messageText(message)), 0);
  const completion_tokens = Math.max(1, estimateTokens(text));
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

/** Chunks of a streamed reply: a role delta, text deltas, a finish chunk; then `[DONE]`. No usage chunk. */
function chunksOf(base: { id: string; created: number; model: string }, text: string): OpenAI.Chat.ChatCompletionChunk[] {
  const chunk = (delta: OpenAI.Chat.ChatCompletionChunk.Choice.Delta, finish: "stop" | null = null) => ({
    ...base,
    object: "chat.completion.chunk" as const,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  const words = text.match(/\S+\s*/g) ?? [text];
  const pieces = Array.from({ length: Math.ceil(words.length / WORDS_PER_DELTA) }, (_, index) =>
    words.slice(index * WORDS_PER_DELTA, (index + 1) * WORDS_PER_DELTA).join(""));
  return [chunk({ role: "assistant", content: "" }), ...pieces.map((content) => chunk({ content })), chunk({}, "stop")];
}

function eventStream(chunks: OpenAI.Chat.ChatCompletionChunk[], breakAfterFirst: boolean): Response {
  const encoder = new TextEncoder();
  const sent = breakAfterFirst ? chunks.slice(0, 2) : chunks;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of sent) controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`));
      if (!breakAfterFirst) controller.enqueue(encoder.encode("data: [DONE]\n\n"));
      controller.close();
    },
  });
  return new HttpResponse(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}

/** Handlers for chat completions. */
export function chatHandlers(state: CompatibleSimState) {
  return [http.post("*/compatibility/v1/chat/completions", async ({ request }) => answer(state, await readJsonObject(request)))];
}

/** Cohere's 400/404 for a request it refuses, or null. */
function refusal(body: Record<string, unknown>): Response | null {
  const reason = refusedParameter(body);
  if (reason) return cohereError(400, reason);
  const { model, messages } = body;
  if (typeof model !== "string" || !model) return cohereError(400, "a model parameter is required for this endpoint.");
  if (!Array.isArray(messages) || messages.length === 0) return cohereError(400, "invalid request: messages must not be empty");
  if ((messages as ChatMessage[]).slice(1).some((turn) => turn.role === "system" || turn.role === "developer")) {
    return cohereError(400, "system turn must be the first in the list");
  }
  return null;
}

function answer(state: CompatibleSimState, body: Record<string, unknown> | null): Response {
  if (!body) return cohereError(400, "invalid json syntax: the request body is not a JSON object");
  record(state.requests, body);
  const refused = refusal(body);
  if (refused) return refused;
  const model = body.model as string;
  if (!SIM_COHERE_MODELS.includes(model) || state.retiredModels.has(model)) return modelNotFound(model);

  const turns = body.messages as ChatMessage[];
  const text = replyText(body, turns);
  const base = { id: crypto.randomUUID(), created: Math.floor(Date.now() / 1000), model };
  if (body.stream === true) return eventStream(chunksOf(base, text), state.takeStreamBreak());
  const completion: OpenAI.Chat.ChatCompletion = {
    ...base,
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, finish_reason: "stop", logprobs: null }],
    usage: usageOf(turns, text),
  };
  return HttpResponse.json(completion);
}
