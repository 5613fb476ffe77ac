import { describe, expect, it } from "vitest";
import { SpeechQueue } from "../../app/src/voice/speech-queue.ts";

/** A promise with its resolve and reject at hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Fetches and plays that the test finishes by hand, with a log of what happened in order. */
function harness() {
  const log: string[] = [];
  const fetches = new Map<string, ReturnType<typeof deferred<Blob>>>();
  const plays = new Map<string, ReturnType<typeof deferred<void>>>();
  const aborted: string[] = [];
  const queue = new SpeechQueue({
    fetchAudio(text, signal) {
      log.push(`fetch ${text}`);
      const d = deferred<Blob>();
      let settled = false;
      d.promise.finally(() => (settled = true)).catch(() => {});
      fetches.set(text, d);
      signal.addEventListener("abort", () => {
        if (!settled) aborted.push(`fetch ${text}`);
        d.reject(new DOMException("aborted", "AbortError"));
      });
      return d.promise;
    },
    async playAudio(audio, signal) {
      const text = await audio.text();
      log.push(`play ${text}`);
      const d = deferred<void>();
      plays.set(text, d);
      signal.addEventListener("abort", () => (aborted.push(`play ${text}`), d.resolve()));
      return d.promise;
    },
    onDrained: () => log.push("drained"),
    onError: (error) => log.push(`error ${(error as Error).message}`),
  });
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  const fetched = async (text: string) => (fetches.get(text)!.resolve(new Blob([text])), await tick());
  const ended = async (text: string) => (plays.get(text)!.resolve(), await tick());
  return { queue, log, aborted, fetched, ended, tick, fetches };
}

describe("sentences read aloud in order", () => {
  it("plays in order, fetching the next while one plays, never more than one ahead", async () => {
    const { queue, log, fetched, ended, tick } = harness();
    queue.enqueue("One.");
    queue.enqueue("Two.");
    queue.enqueue("Three.");
    await tick();
    expect(log).toEqual(["fetch One.", "fetch Two."]);
    await fetched("Two."); // out of order: Two waits for One
    expect(log).toEqual(["fetch One.", "fetch Two."]);
    await fetched("One.");
    expect(log).toEqual(["fetch One.", "fetch Two.", "fetch Three.", "play One."]);
    await ended("One.");
    expect(log.at(-1)).toBe("play Two.");
    queue.finish();
    await fetched("Three.");
    await ended("Two.");
    expect(log.at(-1)).toBe("play Three.");
    await ended("Three.");
    expect(log.at(-1)).toBe("drained");
  });

  it("cancel stops the playing audio and aborts every pending request, and never drains", async () => {
    const { queue, log, aborted, fetched, tick } = harness();
    queue.enqueue("One.");
    queue.enqueue("Two.");
    await fetched("One.");
    queue.enqueue("Three.");
    await tick();
    queue.cancel();
    await tick();
    expect(aborted.sort()).toEqual(["fetch Three.", "fetch Two.", "play One."]);
    queue.enqueue("Four.");
    queue.finish();
    await tick();
    expect(log).not.toContain("fetch Four.");
    expect(log).not.toContain("drained");
    expect(log.filter((line) => line.startsWith("error"))).toEqual([]);
  });

  it("a failed fetch cancels the rest and is reported once", async () => {
    const { queue, log, fetches, tick } = harness();
    queue.enqueue("One.");
    queue.enqueue("Two.");
    await tick();
    fetches.get("One.")!.reject(new Error("503"));
    await tick();
    expect(log.filter((line) => line.startsWith("error"))).toEqual(["error 503"]);
    expect(queue.cancelled).toBe(true);
  });

  it("finish with nothing queued drains at once", () => {
    const { queue, log } = harness();
    queue.finish();
    expect(log).toEqual(["drained"]);
  });
});
