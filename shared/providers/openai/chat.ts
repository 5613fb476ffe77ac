import type OpenAI from "openai";
import { z } from "zod";
import { chatCallOptions } from "../../llm/call-options.ts";
import type { ChatMessage, ChatReply, ChatRequest, ChatStreamEvent } from "../../llm/chat.ts";
import { parseProviderResponse, ProviderError } from "../../llm/errors.ts";
import { abortReason, iterateWithIdleTimeout } from "../../llm/idle-stream.ts";
import { estimateUsage, type ReportedUsage, reportedUsage, type TokenUsage, usageFromReport } from "../../llm/usage.ts";
import { openAI } from "./client.ts";
import { isAbort, toProviderError } from "./errors.ts";
import { openAIRulesFor, parametersFor } from "./model-rules.ts";

const ACTION = "chatting with the model";

const completionSchema = z.object({
  model: z.string(),
  choices: z.array(z.object({
    message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
  })).min(1),
  usage: reportedUsage.nullish(),
});

/** The request as OpenAI's own types define it: a renamed or missing field fails the type check. */
function requestBody(request: ChatRequest): Omit<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, "stream"> {
  // The catalogue's rules for the model, else its family's: a parameter it refuses is not sent.
  const rules = request.rules ?? openAIRulesFor(request.model);
  return {
    model: request.model,
    messages: request.messages,
    ...parametersFor(rules, request),
  };
}

/** The provider's usage, else (a server that leaves it out) an estimate: it beats zero for quotas and spend. */
function usageOf(reported: ReportedUsage | null | undefined, messages: ChatMessage[], reply: string): TokenUsage {
  return usageFromReport(reported, estimateUsage(messages, reply));
}

/**
 * Past the SDK's request phase, a failure that is neither the API's nor an abort is the connection
 * breaking while the body was read (undici's "terminated"): the provider's side, retryable.
 */
function providerFailure(error: unknown): unknown {
  const mapped = toProviderError(error, { action: ACTION });
  if (mapped instanceof ProviderError || isAbort(mapped)) return mapped;
  return new ProviderError("server", `${ACTION} failed: the connection broke off`);
}

/**
 * One complete reply. Throws `ProviderError`: `not_found` when the model does not exist (a retired
 * fine-tuned model: the caller falls back), `rate_limited`, `server`, `timeout`, `bad_response`.
 * An abort rejects with the signal's reason.
 */
export async function completeChat(request: ChatRequest): Promise<ChatReply> {
  const client = await openAI(); // outside the try: a missing key is a configuration error, not an outage
  let completion: unknown;
  try {
    completion = await client.chat.completions.create(
      { ...requestBody(request), stream: false as const } satisfies OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
      chatCallOptions(request, request.signal),
    );
  } catch (error) {
    if (request.signal?.aborted) throw abortReason(request.signal);
    throw providerFailure(error);
  }
  const parsed = parseProviderResponse(completionSchema, completion, ACTION);
  const message = parsed.choices[0].message;
  const text = message.content ?? message.refusal;
  if (typeof text !== "string") {
    throw new ProviderError("bad_response", `${ACTION} failed: the reply had no text`);
  }
  const usage = usageOf(parsed.usage, request.messages, text);
  return { text, tokensUsed: usage.inputTokens + usage.outputTokens, usage, model: parsed.model };
}

type Chunk = OpenAI.Chat.ChatCompletionChunk;

/**
 * A reply as it is written. Ending the iteration early (`break`) or aborting `signal` cancels the
 * HTTP request; after an abort the iterator rejects with the signal's reason. A stream that goes
 * quiet for `timeoutMs` fails with `timeout`. Errors are `ProviderError`s as for `completeChat`;
 * they can arrive after some deltas.
 */
export async function* streamChat(request: ChatRequest): AsyncGenerator<ChatStreamEvent, void, undefined> {
  const client = await openAI(); // outside the stream: a missing key is a configuration error, not an outage
  const chunks = iterateWithIdleTimeout<Chunk>(
    (signal) =>
      client.chat.completions.create(
        { ...requestBody(request), stream: true as const, stream_options: { include_usage: true } } satisfies OpenAI.Chat.ChatCompletionCreateParamsStreaming,
        chatCallOptions(request, signal),
      ),
    { signal: request.signal, idleMs: chatCallOptions(request, undefined).timeout, action: ACTION, failure: providerFailure },
  );
  let text = "";
  let model = request.model;
  let reported: ReportedUsage | undefined;
  let finished = false;
  for await (const chunk of chunks) {
    if (!chunk || typeof chunk !== "object" || !Array.isArray(chunk.choices)) {
      throw new ProviderError("bad_response", `${ACTION} failed: unexpected stream chunk from the provider`);
    }
    if (typeof chunk.model === "string" && chunk.model) model = chunk.model;
    const chunkUsage = reportedUsage.safeParse(chunk.usage);
    if (chunk.usage && chunkUsage.success) reported = chunkUsage.data;
    const choice = chunk.choices[0];
    if (choice?.finish_reason) finished = true;
    const delta = choice?.delta?.content;
    if (typeof delta === "string" && delta.length > 0) {
      text += delta;
      yield { type: "delta", text: delta };
    }
  }
  // Neither a finish reason nor the usage chunk: the stream was cut, the reply is partial.
  if (!finished && reported === undefined) {
    throw new ProviderError("bad_response", `${ACTION} failed: the stream ended before the reply did`);
  }
  const usage = usageOf(reported, request.messages, text);
  yield { type: "done", tokensUsed: usage.inputTokens + usage.outputTokens, usage, model };
}
