import { createParser } from "eventsource-parser";
import type { components } from "./openapi.ts";
import { StoryvoiceError } from "./errors.ts";

type Schemas = components["schemas"];

/** What a streamed reply yields: the text as it is written, then the stored exchange's totals. */
export type ChatStreamEvent =
  | { type: "delta"; text: string }
  | ({ type: "done" } & Schemas["ChatDoneEvent"]);

/**
 * Reads an event-stream body as `delta` and `done` events; an `error` event, or a stream that ends
 * before `done`, throws a StoryvoiceError. Aborting `signal`, or leaving the loop, cancels the body.
 */
export async function* readChatStream(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ChatStreamEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const queue: ChatStreamEvent[] = [];
  let failure: StoryvoiceError | undefined;
  let done = false;
  const parser = createParser({
    onEvent(event) {
      const data = JSON.parse(event.data);
      if (event.event === "delta") queue.push({ type: "delta", text: (data as Schemas["ChatDeltaEvent"]).text });
      else if (event.event === "done") queue.push({ type: "done", ...(data as Schemas["ChatDoneEvent"]) });
      else if (event.event === "error") {
        const info = data as Schemas["ChatErrorEvent"];
        failure = new StoryvoiceError({ status: 200, code: info.code, message: info.message, retryable: info.retryable });
      }
    },
  });
  try {
    while (!done) {
      const chunk = await reader.read();
      if (chunk.done) break;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      while (queue.length > 0) {
        // Events already read stay unread once the caller has aborted.
        signal?.throwIfAborted();
        const event = queue.shift()!;
        yield event;
        if (event.type === "done") done = true;
      }
      if (failure) throw failure;
    }
    if (!done) {
      throw new StoryvoiceError({
        status: 200,
        code: "stream_interrupted",
        message: "The reply stopped before it was finished.",
        retryable: true,
      });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
