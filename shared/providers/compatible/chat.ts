import { z } from "zod";
import { env } from "../../env.ts";
import type { ChatReply, ChatRequest, ChatStreamEvent } from "../../llm/chat.ts";
import { parseProviderResponse, ProviderError } from "../../llm/errors.ts";
import { estimateUsage, type ReportedUsage, reportedUsage, usageFromReport } from "../../llm/usage.ts";
import { chatCallOptions } from "../../llm/call-options.ts";
import { abortReason } from "../../llm/idle-stream.ts";
import { readServerSentData } from "../../llm/server-sent-data.ts";
import { compatibleClient } from "./client.ts";
import { compatibleFailure } from "./errors.ts";
import { chatBody } from "./request.ts";

const ACTION = "chatting with the model";

// A completion and a stream chunk differ only in `message` versus `delta`: one schema reads both.
// `usage` is not asked for in a stream (`stream_options` is not supported); taken when sent anyway.
const text = z.object({ content: z.string().nullish() }).nullish();
const answerSchema = z.object({
  model: z.string().nullish(),
  choices: z.array(z.object({ message: text, delta: text, finish_reason: z.string().nullish() })),
  usage: reportedUsage.nullish(),
});

/** The totals of a finished reply: the endpoint's usage, else (most stream none) an estimate. */
function totals(request: ChatRequest, text: string, reported: ReportedUsage | null | undefined) {
  const usage = usageFromReport(reported, estimateUsage(request.messages, text));
  return { tokensUsed: usage.inputTokens + usage.outputTokens, usage };
}

/** One complete reply; `not_found` when the endpoint does not serve the model. */
export async function completeChat(request: ChatRequest): Promise<ChatReply> {
  const client = await compatibleClient();
  let body: unknown;
  try {
    body = await client.chat.completions.create({ ...chatBody(request), stream: false }, chatCallOptions(request, request.signal));
  } catch (error) {
    if (request.signal?.aborted) throw abortReason(request.signal);
    throw compatibleFailure(error, ACTION);
  }
  const completion = parseProviderResponse(answerSchema, body, ACTION);
  const text = completion.choices[0]?.message?.content;
  if (typeof text !== "string") throw new ProviderError("bad_response", `${ACTION} failed: the reply had no text`);
  return { text, model: completion.model || request.model, ...totals(request, text, completion.usage) };
}

/** One server-sent `data:` payload as a chunk; anything else is an answer we cannot use. */
function parseChunk(data: string): z.infer<typeof answerSchema> {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new ProviderError("bad_response", `${ACTION} failed: a stream chunk was not JSON`);
  }
  return parseProviderResponse(answerSchema, json, ACTION);
}

/**
 * The reply as it is written: the SDK sends the request (its retries, its errors), the shared
 * server-sent events reader reads the body. Stopping early or aborting `signal` cancels the
 * request; a stream quiet for `timeoutMs` fails with `timeout`; one that ends without a finish
 * reason or `[DONE]` is `bad_response`.
 */
export async function* streamChat(request: ChatRequest): AsyncGenerator<ChatStreamEvent, void, undefined> {
  const stop = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
  const client = await compatibleClient();
  let response: Response;
  try {
    response = await client.chat.completions.create({ ...chatBody(request), stream: true }, chatCallOptions(request, signal))
      .asResponse();
  } catch (error) {
    if (request.signal?.aborted) throw abortReason(request.signal);
    throw compatibleFailure(error, ACTION);
  }
  if (!response.body) throw new ProviderError("bad_response", `${ACTION} failed: no stream`);

  const reply = { text: "", model: request.model, ended: false, usage: undefined as ReportedUsage | undefined };
  try {
    const idleMs = request.timeoutMs ?? env().OPENAI_TIMEOUT_MS;
    for await (const data of readServerSentData(response.body, { idleMs, signal })) {
      reply.ended ||= data === "[DONE]";
      if (data === "[DONE]") break;
      const chunk = parseChunk(data);
      reply.model = chunk.model || reply.model;
      reply.usage = chunk.usage ?? reply.usage;
      reply.ended ||= chunk.choices.some((choice) => Boolean(choice.finish_reason));
      const delta = chunk.choices[0]?.delta?.content;
      if (!delta) continue;
      reply.text += delta;
      yield { type: "delta", text: delta };
    }
    if (request.signal?.aborted) throw abortReason(request.signal);
    if (!reply.ended) throw new ProviderError("bad_response", `${ACTION} failed: the stream ended before the reply did`);
  } catch (error) {
    if (request.signal?.aborted) throw abortReason(request.signal);
    if (error instanceof ProviderError && error.kind === "timeout") {
      throw new ProviderError("timeout", `${ACTION} timed out: the stream went quiet`);
    }
    throw error instanceof ProviderError ? error : compatibleFailure(error, ACTION);
  } finally {
    stop.abort();
  }
  yield { type: "done", model: reply.model, ...totals(request, reply.text, reply.usage) };
}
