import { env } from "../../env.ts";
import { ProviderError } from "../../llm/errors.ts";
import { type TogetherCall, togetherHttpError } from "./errors.ts";

/**
 * Together AI's REST API through plain `fetch`, not the `together-ai` SDK: the handful of calls
 * used here (files, fine-tunes, endpoints, chat) need no SDK, and an Edge Function then loads no
 * second SDK at cold start; the SDK's types (type-only imports) check each body and answer read.
 * Nothing runs at module load; settings are read on each call.
 *
 * No retries inside a call: the sync retries with backoff, a lookup guards job creation, and chat
 * falls back to the persona model once.
 */

/** True when an API key is configured: without one, Together is unavailable. */
export function togetherConfigured(): boolean {
  return Boolean(env().TOGETHER_API_KEY);
}

export interface TogetherRequest extends TogetherCall {
  /** The caller's signal (a chat client that went away). */
  signal?: AbortSignal;
  /** Per call; default TOGETHER_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * Sends one request and hands the OK response to `read` while the timeout still runs (so a body
 * that never arrives times out too); an HTTP error becomes a `ProviderError`. After `read` returns,
 * the caller's signal alone governs the response (a stream keeps reading).
 */
export async function sendTogether<T>(
  path: string,
  init: RequestInit,
  request: TogetherRequest,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const settings = env();
  const key = settings.TOGETHER_API_KEY;
  if (!key) throw new Error("TOGETHER_API_KEY is not set"); // configuration, not an outage
  const base = settings.TOGETHER_BASE_URL.replace(/\/+$/, "");
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), request.timeoutMs ?? settings.TOGETHER_TIMEOUT_MS);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
  try {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, accept: "application/json", ...init.headers },
      signal,
    });
    if (!response.ok) throw await togetherHttpError(response, request);
    return await read(response);
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    if (request.signal?.aborted) throw request.signal.reason ?? error;
    if (timeout.signal.aborted) throw new ProviderError("timeout", `${request.action} timed out`);
    throw new ProviderError("server", `${request.action} failed: Together AI could not be reached`);
  } finally {
    clearTimeout(timer);
  }
}

/** A JSON request; the parsed body (validated by the caller with zod). */
export function togetherJson(path: string, init: RequestInit, request: TogetherRequest): Promise<unknown> {
  return sendTogether(path, init, request, async (response) => {
    try {
      return await response.json() as unknown;
    } catch (error) {
      if (request.signal?.aborted || error instanceof DOMException) throw error;
      throw new ProviderError("bad_response", `${request.action} failed: the answer was not JSON`);
    }
  });
}

/** A JSON POST body. */
export function jsonBody(body: unknown): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
