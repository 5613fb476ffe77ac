import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";
import { chatCallOptions } from "../../llm/call-options.ts";
import type { ChatReply, ChatRequest, ChatStreamEvent } from "../../llm/chat.ts";
import { parseProviderResponse, ProviderError } from "../../llm/errors.ts";
import { abortReason, iterateWithIdleTimeout } from "../../llm/idle-stream.ts";
import { anthropic } from "./client.ts";
import { isAbort, toProviderError } from "./errors.ts";
import { messagesRequest } from "./messages.ts";

const ACTION = "chatting with the model";

const messageSchema = z.object({
  model: z.string(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).nullish(),
});

/** Past the request phase, a failure that is neither the API's nor an abort is the connection breaking. */
function providerFailure(error: unknown): unknown {
  const mapped = toProviderError(error, ACTION);
  if (mapped instanceof ProviderError || isAbort(mapped)) return mapped;
  return new ProviderError("server", `${ACTION} failed: the connection broke off`);
}

/** One complete reply from the Messages API; errors are `ProviderError`s as for OpenAI. */
export async function completeChat(request: ChatRequest): Promise<ChatReply> {
  const client = anthropic();
  let message: unknown;
  try {
    message = await client.messages.create({ ...messagesRequest(request), stream: false }, chatCallOptions(request, request.signal));
  } catch (error) {
    if (request.signal?.aborted) throw abortReason(request.signal);
    throw providerFailure(error);
  }
  const parsed = parseProviderResponse(messageSchema, message, ACTION);
  const text = parsed.content.filter((block) => block.type === "text").map((block) => block.text ?? "").join("");
  if (!text) throw new ProviderError("bad_response", `${ACTION} failed: the reply had no text`);
  const usage = parsed.usage
    ? { inputTokens: parsed.usage.input_tokens, outputTokens: parsed.usage.output_tokens }
    : { inputTokens: 0, outputTokens: 1 };
  return { text, tokensUsed: Math.max(1, usage.inputTokens + usage.outputTokens), usage, model: parsed.model };
}

/**
 * A reply as it is written (Messages API server-sent events): `text_delta`s become deltas, the
 * usage of `message_start` and `message_delta` the total. Breaking off early or aborting cancels
 * the request; a stream quiet for `timeoutMs` fails with `timeout`; one that ends before
 * `message_stop` is `bad_response`.
 */
export async function* streamChat(request: ChatRequest): AsyncGenerator<ChatStreamEvent, void, undefined> {
  const client = anthropic();
  const events = iterateWithIdleTimeout<Anthropic.RawMessageStreamEvent>(
    (signal) => client.messages.create({ ...messagesRequest(request), stream: true }, chatCallOptions(request, signal)),
    { signal: request.signal, idleMs: chatCallOptions(request, undefined).timeout, action: ACTION, failure: providerFailure },
  );
  let model = request.model;
  let inputTokens = 0;
  let outputTokens = 0;
  let stopped = false;
  for await (const event of events) {
    if (event.type === "message_start") {
      model = event.message.model || model;
      inputTokens = event.message.usage?.input_tokens ?? 0;
      outputTokens = event.message.usage?.output_tokens ?? 0;
    } else if (event.type === "content_block_delta" && event.delta.type === "text_delta" && event.delta.text) {
      yield { type: "delta", text: event.delta.text };
    } else if (event.type === "message_delta") {
      outputTokens = event.usage?.output_tokens ?? outputTokens;
    } else if (event.type === "message_stop") {
      stopped = true;
    }
  }
  if (!stopped) throw new ProviderError("bad_response", `${ACTION} failed: the stream ended before the reply did`);
  yield {
    type: "done",
    tokensUsed: Math.max(1, inputTokens + outputTokens),
    usage: { inputTokens, outputTokens },
    model,
  };
}
