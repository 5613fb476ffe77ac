import { z } from "zod";
import type { ChatCompletion, ChatCompletionChunk, CompletionCreateParamsBase } from "together-ai/resources/chat/completions";
import { env } from "../../env.ts";
import type { ChatClient, ChatMessage, ChatReply, ChatRequest, ChatStreamEvent } from "../../llm/chat.ts";
import { parseProviderResponse, ProviderError } from "../../llm/errors.ts";
import { estimateUsage, type ReportedUsage, reportedUsage, type TokenUsage, usageFromReport } from "../../llm/usage.ts";
import { jsonBody, sendTogether, type TogetherRequest } from "./client.ts";
import type { UnknownFields } from "./jobs.ts";
import { readServerSentData } from "../../llm/server-sent-data.ts";

const ACTION = "chatting with the Together fine-tune";

const completionSchema = z.object({
  model: z.string().nullish(),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }) })).min(1),
  usage: reportedUsage.nullish(),
});
const chunkSchema = z.object({
  model: z.string().nullish(),
  choices: z.array(z.object({
    delta: z.object({ content: z.string().nullish() }).nullish(),
    finish_reason: z.string().nullish(),
  })),
  usage: reportedUsage.nullish(),
});
const _completionFieldsKnown: UnknownFields<z.infer<typeof completionSchema>, ChatCompletion> extends never ? true : never = true;
const _chunkFieldsKnown: UnknownFields<z.infer<typeof chunkSchema>, ChatCompletionChunk> extends never ? true : never = true;

/**
 * The chat completions body, on TOGETHER_BASE_URL whether the adapter is served serverless or on
 * the dedicated endpoint it is attached to: Together routes by the `model`, the adapter's output
 * name. `max_tokens` as Together takes it.
 */
export function togetherChatBody(request: ChatRequest, stream: boolean): CompletionCreateParamsBase {
  return {
    model: request.model,
    messages: request.messages,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(stream ? { stream: true } : {}),
  };
}

function callFor(request: ChatRequest, signal?: AbortSignal): TogetherRequest {
  return { action: ACTION, signal, timeoutMs: request.timeoutMs };
}

/** The provider's usage, else (a server that leaves it out) an estimate: it beats zero for quotas and spend. */
function usageOf(reported: ReportedUsage | null | undefined, messages: ChatMessage[], reply: string): TokenUsage {
  return usageFromReport(reported, estimateUsage(messages, reply));
}

/** One complete reply; `not_found` when the adapter is gone (the caller falls back). */
async function completeChat(request: ChatRequest): Promise<ChatReply> {
  const body = await sendTogether(
    "/chat/completions",
    jsonBody(togetherChatBody(request, false)),
    callFor(request, request.signal),
    async (response) => await response.json() as unknown,
  ).catch((error) => {
    if (error instanceof SyntaxError) throw new ProviderError("bad_response", `${ACTION} failed: the answer was not JSON`);
    throw error;
  });
  const parsed = parseProviderResponse(completionSchema, body, ACTION);
  const text = parsed.choices[0].message.content;
  if (typeof text !== "string") throw new ProviderError("bad_response", `${ACTION} failed: the reply had no text`);
  const usage = usageOf(parsed.usage, request.messages, text);
  return { text, tokensUsed: usage.inputTokens + usage.outputTokens, usage, model: parsed.model ?? request.model };
}

/**
 * The reply as it is written. Stopping early or aborting `signal` cancels the request; a stream
 * that goes quiet for `timeoutMs` (default TOGETHER_TIMEOUT_MS) fails with `timeout`.
 */
async function* streamChat(request: ChatRequest): AsyncGenerator<ChatStreamEvent, void, undefined> {
  const idleMs = request.timeoutMs ?? env().TOGETHER_TIMEOUT_MS;
  const stop = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
  const response = await sendTogether(
    "/chat/completions",
    jsonBody(togetherChatBody(request, true)),
    callFor(request, signal),
    (answer) => Promise.resolve(answer),
  );
  if (!response.body) throw new ProviderError("bad_response", `${ACTION} failed: no stream`);

  let text = "";
  let model = request.model;
  let reported: ReportedUsage | undefined;
  let finished = false;
  let completed = false;
  try {
    for await (const data of readServerSentData(response.body, { idleMs, signal })) {
      if (data === "[DONE]") {
        finished = true;
        break;
      }
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        throw new ProviderError("bad_response", `${ACTION} failed: unexpected stream chunk`);
      }
      const chunk = parseProviderResponse(chunkSchema, json, ACTION);
      if (chunk.model) model = chunk.model;
      if (chunk.usage) reported = chunk.usage;
      const choice = chunk.choices[0];
      if (choice?.finish_reason) finished = true;
      const delta = choice?.delta?.content;
      if (delta) {
        text += delta;
        yield { type: "delta", text: delta };
      }
    }
    if (request.signal?.aborted) throw request.signal.reason;
    if (!finished) throw new ProviderError("bad_response", `${ACTION} failed: the stream ended before the reply did`);
    completed = true;
    const usage = usageOf(reported, request.messages, text);
    yield { type: "done", tokensUsed: usage.inputTokens + usage.outputTokens, usage, model };
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason ?? error;
    if (error instanceof ProviderError) throw error;
    throw new ProviderError("server", `${ACTION} failed: the connection broke off`);
  } finally {
    if (!completed) stop.abort();
  }
}

/** Chat with Together fine-tunes (OpenAI-compatible chat completions over fetch). */
export const togetherChat: ChatClient = { completeChat, streamChat };
