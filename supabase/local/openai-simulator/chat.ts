/** `/v1/chat/completions`: in-character replies, structured output, SSE streaming. */
import { http, HttpResponse } from "msw";
import type OpenAI from "openai";
import { estimateMessageTokens, estimateTokens } from "../../../shared/llm/tokens.ts";
import { record } from "../recorded.ts";
import { fillJsonSchema, type JsonSchema } from "./json-schema-fill.ts";
import { isShutDownAt } from "./model-list.ts";
import { modelNotFound } from "./models.ts";
import { refuseParameters } from "./request-rules.ts";
import { type ChatMessage, lastUserText, messageText, personaName, requestedItemCount } from "./prompt-reading.ts";
import { extractiveSummary, isSummaryRequest } from "./summary.ts";
import { errorResponse, invalidJsonResponse, jsonResponse, randomId, readJsonObject } from "./responses.ts";
import { type SimState, toUnixSeconds } from "./state.ts";
import { readPersonaFacts } from "./persona-voice.ts";

const SYSTEM_FINGERPRINT = "fp_storyvoice_sim";
/** Words per streamed content delta: enough deltas for a client to see text arrive in pieces. */
const WORDS_PER_DELTA = 3;

/** Handler for chat completions. */
export function chatHandlers(state: SimState) {
  return [
    http.post("*/v1/chat/completions", async ({ request }) => {
      const body = await readJsonObject(request);
      if (!body) return invalidJsonResponse();
      const { model, messages } = body;
      if (typeof model !== "string" || model === "") {
        return errorResponse(400, "Missing required parameter: 'model'.", {
          param: "model",
          code: "missing_required_parameter",
        });
      }
      if (!Array.isArray(messages) || messages.length === 0) {
        return errorResponse(400, "Missing required parameter: 'messages'.", {
          param: "messages",
          code: "missing_required_parameter",
        });
      }
      // Base models are taken as they are; fine-tunes must exist, and retired ones are gone, as
      // is every model (and fine-tune of one) from its announced shutdown date on.
      if (
        state.retiredModels.has(model) || isShutDownAt(model, state.today()) ||
        (model.startsWith("ft:") && !state.fineTunedModels.has(model))
      ) {
        return modelNotFound(model);
      }
      const refused = refuseParameters(model, body);
      if (refused) return refused;

      const content = isSummaryRequest(messages as ChatMessage[])
        ? extractiveSummary(messages as ChatMessage[], maxCompletionTokens(body))
        : replyContent(body.response_format, messages as ChatMessage[]);
      const usage = usageFor(messages as ChatMessage[], content);
      const completion = { id: randomId("chatcmpl-", 29), created: toUnixSeconds(state.now()), model };
      const served = { model, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
      if (body.stream === true) {
        const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
        return streamedCompletion(completion, content, includeUsage ? usage : null, state.streamDelayMs, () =>
          record(state.servedUsage, { ...served, stream: true }));
      }
      record(state.servedUsage, { ...served, stream: false });
      return jsonResponse({
        ...completion,
        object: "chat.completion",
        choices: [{
          index: 0,
          message: { role: "assistant", content, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: "stop",
        }],
        usage,
        service_tier: "default",
        system_fingerprint: SYSTEM_FINGERPRINT,
      } satisfies OpenAI.Chat.ChatCompletion);
    }),
  ];
}

/** The completion-token limit a request set, by either name. */
function maxCompletionTokens(body: Record<string, unknown>): number | undefined {
  const limit = body.max_completion_tokens ?? body.max_tokens;
  return typeof limit === "number" ? limit : undefined;
}

/** The assistant's text: JSON matching the requested schema, or an in-character sentence. */
function replyContent(responseFormat: unknown, messages: ChatMessage[]): string {
  const format = (responseFormat ?? {}) as { type?: string; json_schema?: { schema?: JsonSchema } };
  const persona = personaName(messages);
  const lastUserMessage = lastUserText(messages);
  if (format.type === "json_schema") {
    const schema = format.json_schema?.schema ?? { type: "object", properties: {} };
    return JSON.stringify(fillJsonSchema(schema, { persona, requestedCount: requestedItemCount(lastUserMessage), facts: readPersonaFacts(messages) }));
  }
  const reply = inCharacterReply(persona, lastUserMessage);
  return format.type === "json_object" ? JSON.stringify({ reply }) : reply;
}

/** A short persona reply that echoes the user's message, so a person trying the stack sees who answers. */
export function inCharacterReply(persona: string | null, userText: string): string {
  const asked = userText.replace(/\s+/g, " ").trim();
  const quoted = asked.length > 120 ? `${asked.slice(0, 117)}...` : asked;
  const speaker = persona ? `As ${persona}, I would say:` : "I would say:";
  if (!quoted) return `${speaker} ask me anything about the story, and I will answer as honestly as I can.`;
  // Neutral words that suit an author and a character alike: the simulator does not know which it plays.
  return `${speaker} you ask "${quoted}" A fair question, and one I have turned over more than once.`;
}

/** The functions' own estimate (text plus framing per message): the simulator has no tokenizer either. */
function usageFor(messages: ChatMessage[], content: string): OpenAI.CompletionUsage {
  const prompt_tokens = messages.reduce((sum, message) => sum + estimateMessageTokens(messageText(message)), 0);
  const completion_tokens = Math.max(1, estimateTokens(content));
  return {
    prompt_tokens,
    completion_tokens,
    total_tokens: prompt_tokens + completion_tokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** Splits text into deltas that join back to it exactly. */
function contentDeltas(content: string): string[] {
  const words = content.match(/\S+\s*/g) ?? [content];
  const deltas: string[] = [];
  for (let index = 0; index < words.length; index += WORDS_PER_DELTA) {
    deltas.push(words.slice(index, index + WORDS_PER_DELTA).join(""));
  }
  const leadingSpace = /^\s*/.exec(content)![0];
  if (leadingSpace) deltas[0] = leadingSpace + deltas[0];
  return deltas;
}

/**
 * Server-sent events in OpenAI's chunk shape: a role delta, content deltas, a finish chunk, then
 * (with `stream_options.include_usage`) a usage chunk with no choices, then `[DONE]`.
 */
function streamedCompletion(
  completion: { id: string; created: number; model: string },
  content: string,
  usage: OpenAI.CompletionUsage | null,
  delayMs: number,
  onServed: () => void,
): Response {
  const chunk = (choices: OpenAI.Chat.ChatCompletionChunk.Choice[], extra: Partial<OpenAI.Chat.ChatCompletionChunk> = {}): OpenAI.Chat.ChatCompletionChunk => ({
    ...completion,
    object: "chat.completion.chunk" as const,
    service_tier: "default",
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices,
    ...(usage ? { usage: null } : {}),
    ...extra,
  });
  const choice = (
    delta: OpenAI.Chat.ChatCompletionChunk.Choice.Delta,
    finishReason: OpenAI.Chat.ChatCompletionChunk.Choice["finish_reason"] = null,
  ): OpenAI.Chat.ChatCompletionChunk.Choice => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });

  const events = [
    chunk([choice({ role: "assistant", content: "", refusal: null })]),
    ...contentDeltas(content).map((delta) => chunk([choice({ content: delta })])),
    chunk([choice({}, "stop")]),
    ...(usage ? [chunk([], { usage })] : []),
  ];
  const encoder = new TextEncoder();
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // The first event goes at once; with a delay, each later one waits, as a model's tokens do.
      if (next > 0 && delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (next < events.length) {
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(events[next++])}\n\n`));
        return;
      }
      controller.enqueue(encoder.encode("data: [DONE]\n\n"));
      controller.close();
      onServed();
    },
  });
  return new HttpResponse(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-request-id": randomId("req_", 32),
    },
  });
}
