import { log } from "../log.ts";

type EdgeRuntimeGlobal = { EdgeRuntime?: { waitUntil(promise: Promise<unknown>): void } };

/**
 * Keeps work running after the response is sent. On Supabase, EdgeRuntime.waitUntil keeps the
 * worker alive until the promise settles; elsewhere (local stack, tests) the process lives on anyway.
 * A failure is logged: the row's lease expires and the training sync picks the work up again.
 */
export function runInBackground(task: string, work: () => Promise<unknown>): Promise<void> {
  const promise = work().then(
    () => undefined,
    (error) => log.error("background task failed", { task, error }),
  );
  (globalThis as EdgeRuntimeGlobal).EdgeRuntime?.waitUntil(promise);
  return promise;
}
