import { ProviderError } from "./errors.ts";

/**
 * The `data:` payloads of a provider's Server-Sent Events body, in order (shared by the providers that
 * speak Chat Completions over plain fetch). Fails with `timeout` when no bytes arrive for `idleMs`, and
 * ends quietly when `signal` aborts (the caller says why).
 */
export async function* readServerSentData(
  body: ReadableStream<Uint8Array>,
  { idleMs, signal }: { idleMs: number; signal: AbortSignal },
): AsyncGenerator<string, void, undefined> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    while (true) {
      const read = await readWithin(reader, idleMs, signal);
      if (read.done) break;
      buffer += read.value;
      let boundary: number;
      while ((boundary = buffer.search(/\r?\n\r?\n/)) !== -1) {
        const event = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, "");
        const data = event.split(/\r?\n/)
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).replace(/^ /, ""))
          .join("\n");
        if (data) yield data;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

async function readWithin(
  reader: ReadableStreamDefaultReader<string>,
  idleMs: number,
  signal: AbortSignal,
): Promise<ReadableStreamReadResult<string>> {
  if (signal.aborted) return { done: true, value: undefined };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const read = reader.read();
  read.catch(() => {}); // abandoned by the race below, it may still fail later
  try {
    return await Promise.race([
      read,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProviderError("timeout", "The provider's stream went quiet")), idleMs);
      }),
      new Promise<ReadableStreamReadResult<string>>((resolve) => {
        onAbort = () => resolve({ done: true, value: undefined });
        signal.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
