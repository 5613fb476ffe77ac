import { env } from "../env.ts";
import type { ChatRequest } from "./chat.ts";

/**
 * The SDK options of one chat call, for every provider: at most one retry (a reader is waiting,
 * and chat falls back once by itself), the request's timeout (also the longest silence of a
 * stream), and the caller's signal.
 */
export function chatCallOptions(request: ChatRequest, signal: AbortSignal | undefined) {
  const settings = env();
  return {
    maxRetries: request.maxRetries ?? Math.min(1, settings.OPENAI_MAX_RETRIES),
    timeout: request.timeoutMs ?? settings.OPENAI_TIMEOUT_MS,
    signal,
  };
}
