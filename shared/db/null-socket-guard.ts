import { log } from "../log.ts";

/**
 * postgres.js 3.4.9 can write to a connection's socket after the connection has closed: a write
 * deferred with `setImmediate` (often the ROLLBACK that `begin()` sends itself when a query fails)
 * lands on `socket = null` in `nextWrite` (src/connection.js:255). It throws from a timer callback,
 * past every `await`, and takes the whole process down (every function, on the local stack).
 * Upstream: porsager/postgres#1154, #1066 and #1208; fix proposals #1168 and #1209. Remove this
 * guard when a release carries one of them (3.4.9 is the newest as of 2026-12).
 *
 * Deno reports an uncaught exception as an `error` event on `globalThis` before it exits; this
 * listener cancels exactly that defect (a TypeError reading `write` of null inside postgres.js's
 * `nextWrite`) and lets `onDefect` replace the pool, whose connection is left unusable. Every other
 * uncaught error still ends the process. Node (the test runner) has no such event: the functions
 * run on Deno.
 */
export function guardNullSocketWrites(onDefect: () => void): void {
  if (installed || typeof globalThis.addEventListener !== "function") return;
  installed = true;
  globalThis.addEventListener("error", (event) => {
    if (!isNullSocketWrite((event as ErrorEvent).error)) return;
    event.preventDefault();
    log.warn("postgres.js wrote to a closed connection (porsager/postgres#1208); replacing the pool");
    onDefect();
  });
}

let installed = false;

/** The defect's signature: its message and the postgres.js frame it is thrown from. */
export function isNullSocketWrite(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const stack = error.stack ?? "";
  return /null \(reading 'write'\)|evaluating 'socket\.write'/.test(error.message) &&
    stack.includes("nextWrite") && /postgres[/@]/.test(stack);
}
