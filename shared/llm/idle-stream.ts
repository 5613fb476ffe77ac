import { ProviderError } from "./errors.ts";

/** A provider SDK's stream: its items, and the controller that cancels its HTTP request. */
export type SdkStream<T> = AsyncIterable<T> & { controller: AbortController };

export interface IdleStreamOptions {
  /** The caller's signal: its abort rejects with the signal's reason. */
  signal?: AbortSignal;
  /** How long the provider may stay quiet between items before the stream fails with `timeout`. */
  idleMs: number;
  /** What was being done, for the timeout's message. */
  action: string;
  /** The provider's mapping of any other failure to open or read (to a `ProviderError`). */
  failure: (error: unknown) => unknown;
}

/** Why an aborted request failed: the signal's reason, else an AbortError. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The chat request was aborted.", "AbortError");
}

/**
 * Opens an SDK stream and yields its items, for the providers that stream through their SDK (the
 * fetch-based ones read `readServerSentData`). The SDK's timeout ends with the response headers;
 * this one watches the provider between items (not the consumer: the timer is off while an item is
 * handed over). Each read is raced against the signal, because not every fetch errors a body when
 * its signal fires. A consumer that stops early, or fails, cancels the request.
 */
export async function* iterateWithIdleTimeout<T>(
  open: (signal: AbortSignal) => Promise<SdkStream<T>>,
  options: IdleStreamOptions,
): AsyncGenerator<T, void, undefined> {
  const idle = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
  const failIfAborted = () => {
    if (options.signal?.aborted) throw abortReason(options.signal);
    if (idle.signal.aborted) throw new ProviderError("timeout", `${options.action} timed out: the stream went quiet`);
  };

  let stream: SdkStream<T>;
  try {
    stream = await open(signal);
  } catch (error) {
    failIfAborted();
    throw options.failure(error);
  }

  const watch = () => setTimeout(() => idle.abort(), options.idleMs);
  let timer = watch();
  let ended = false;
  // Iterated by hand so an early exit can abort without awaiting the body's cancel handshake.
  const items = stream[Symbol.asyncIterator]();
  const stopped = new Promise<IteratorReturnResult<undefined>>((resolve) => {
    if (signal.aborted) resolve({ done: true, value: undefined });
    signal.addEventListener("abort", () => resolve({ done: true, value: undefined }), { once: true });
  });
  try {
    while (true) {
      const read = items.next();
      read.catch(() => {}); // a read abandoned by the race may still fail later
      let next: IteratorResult<T, unknown>;
      try {
        next = await Promise.race([read, stopped]);
      } catch (error) {
        failIfAborted();
        throw options.failure(error);
      }
      clearTimeout(timer);
      // The SDK ends a stream quietly when its signal fires: say why it ended.
      failIfAborted();
      if (next.done) {
        ended = true;
        return;
      }
      yield next.value;
      timer = watch();
    }
  } finally {
    clearTimeout(timer);
    if (!ended) {
      // Aborting the SDK's controller cancels the fetch; the iterator's own clean-up then only
      // releases the body, and is not awaited because some fetch implementations never settle it.
      stream.controller.abort();
      items.return?.().catch(() => {});
    }
  }
}
