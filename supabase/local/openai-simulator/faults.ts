/** Injected faults: status errors, hangs and broken bodies, armed for a number of requests. */
import { defaultErrorMessage, errorResponse, waitUnlessAborted } from "./responses.ts";
import type { ArmedFault, SimState } from "./state.ts";

/** A fault to inject; see `OpenAISimulator.inject`. */
export interface FaultSpec {
  /** HTTP method to match, any when omitted. */
  method?: string;
  /** Matched against the URL pathname, e.g. `/v1/chat/completions`. */
  path: string | RegExp;
  kind: "status" | "timeout" | "malformed";
  /** For `status`: the status to answer, e.g. 429, 500, 503. */
  status?: number;
  /** How many matching requests get the fault, default 1. */
  times?: number;
  /** For `timeout`: how long to hang before answering normally, default 60_000. */
  delayMs?: number;
}

/** Arms a fault behind any already armed. */
export function armFault(state: SimState, spec: FaultSpec): void {
  state.faults.push({
    method: spec.method ? spec.method.toUpperCase() : null,
    path: spec.path,
    kind: spec.kind,
    status: spec.status ?? 500,
    delayMs: spec.delayMs ?? 60_000,
    remaining: spec.times ?? 1,
  });
}

/** The first armed fault matching the request, used up by one; `null` when none matches. */
export function takeFault(state: SimState, request: Request): ArmedFault | null {
  const pathname = new URL(request.url).pathname;
  const index = state.faults.findIndex((fault) =>
    (fault.method === null || fault.method === request.method) &&
    (typeof fault.path === "string" ? fault.path === pathname : fault.path.test(pathname))
  );
  if (index === -1) return null;
  const fault = state.faults[index];
  fault.remaining -= 1;
  if (fault.remaining <= 0) state.faults.splice(index, 1);
  return fault;
}

/**
 * The faulty answer, or `undefined` when a `timeout` fault has finished hanging and the request
 * should now be answered normally (a slow upstream, not a dead one).
 */
export async function answerWithFault(fault: ArmedFault, request: Request): Promise<Response | undefined> {
  switch (fault.kind) {
    case "status":
      return errorResponse(fault.status, defaultErrorMessage(fault.status), {
        code: fault.status === 429 ? "rate_limit_exceeded" : null,
      });
    case "malformed":
      // What a connection cut mid-body looks like to a client: a 200 whose JSON never closes.
      return new Response('{"id": "chatcmpl-truncated", "object": "chat.completion", "choices": [{"index": 0, "mess', {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    case "timeout": {
      const finished = await waitUnlessAborted(fault.delayMs, request.signal);
      // Nobody is listening after an abort; answer something cheap so the handler chain ends.
      return finished ? undefined : errorResponse(504, "The client went away while the request hung.");
    }
  }
}
