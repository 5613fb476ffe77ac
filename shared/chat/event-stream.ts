import { HttpError } from "../errors.ts";
import type { ChatStreamEvent } from "../llm/chat.ts";
import { log } from "../log.ts";
import type { openStreamedReply } from "./reply.ts";
import { SSE_HEADERS, sseEvent } from "./sse.ts";

/** Sends one event to the client (nothing once it has left). */
export type SendEvent = (event: string, data: unknown) => void;

/** A streamed answer: what it writes, and what it settles afterwards whatever happened. */
export interface StreamedAnswer {
  /** Writes the `delta` events and ends with `done`; `cancelled()` is true once the client left. */
  write(send: SendEvent, cancelled: () => boolean): Promise<void>;
  /** Runs last, after success, failure or cancellation: gives back what was taken and not stored. */
  settle(): Promise<void>;
}

/**
 * The Server-Sent Events response of every chat: a failure after the first byte ends the stream
 * with an `error` event (nothing was stored), and a client that disconnects aborts `cancel`, which
 * cancels the provider requests.
 */
export function answerAsEventStream(answer: StreamedAnswer, cancel: AbortController, failure: { message: string; fields?: Record<string, unknown> }): Response {
  const encoder = new TextEncoder();
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send: SendEvent = (event, data) => {
        if (!cancelled) controller.enqueue(encoder.encode(sseEvent(event, data)));
      };
      try {
        await answer.write(send, () => cancelled);
      } catch (error) {
        if (cancelled) return;
        log.warn(failure.message, { ...failure.fields, error });
        send("error", {
          code: error instanceof HttpError ? error.code : "stream_failed",
          message: "The answer was interrupted; nothing was stored.",
          retryable: !(error instanceof HttpError) || Boolean(error.options.retryable),
        });
      } finally {
        await answer.settle();
        if (!cancelled) controller.close();
      }
    },
    cancel() {
      cancelled = true;
      cancel.abort();
    },
  });
  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}

/** A reply stream as `openStreamedReply` opens it. */
export type OpenedReply = Awaited<ReturnType<typeof openStreamedReply>>;

/**
 * Reads an opened reply to its end, handing each piece of text to `onDelta`: the whole text and
 * the provider's totals, or undefined when the stream ended without them (it was cancelled).
 */
export async function readReply(
  opened: OpenedReply,
  onDelta: (text: string) => void,
): Promise<{ text: string; done: Extract<ChatStreamEvent, { type: "done" }> } | undefined> {
  let text = "";
  let done: Extract<ChatStreamEvent, { type: "done" }> | undefined;
  for (let step = opened.first; !step.done; step = await opened.events.next()) {
    if (step.value.type === "delta") {
      text += step.value.text;
      onDelta(step.value.text);
    } else {
      done = step.value;
    }
  }
  return done ? { text, done } : undefined;
}
