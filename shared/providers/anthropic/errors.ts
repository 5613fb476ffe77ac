import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { env } from "../../env.ts";
import { ProviderError } from "../../llm/errors.ts";

const MAX_MESSAGE_LENGTH = 300;

/** Provider text safe to store and log: no API key, bounded. */
function safeText(text: string): string {
  let safe = text;
  const key = env().ANTHROPIC_API_KEY;
  if (key && key.length >= 8) safe = safe.split(key).join("[redacted]");
  safe = safe.replace(/\bsk-ant-[A-Za-z0-9_*.\-]{3,}/g, "[redacted]").replace(/\s+/g, " ").trim();
  return safe.length > MAX_MESSAGE_LENGTH ? `${safe.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : safe;
}

/** True for a caller's abort: not a provider failure. */
export function isAbort(error: unknown): boolean {
  return error instanceof APIUserAbortError || (error instanceof Error && error.name === "AbortError");
}

/**
 * Maps what the Anthropic SDK threw to a `ProviderError` with the same kinds as OpenAI's mapping:
 * 401/403 unavailable, 404 not_found (a retired model), 408 timeout, 429 rate_limited, 5xx and 529
 * (overloaded) server, other 4xx invalid_request. Aborts and our own bugs come back unchanged.
 */
export function toProviderError(error: unknown, action: string): unknown {
  if (error instanceof ProviderError || isAbort(error)) return error;
  if (error instanceof APIConnectionTimeoutError) return new ProviderError("timeout", `${action} timed out`);
  if (error instanceof APIConnectionError) {
    return new ProviderError("server", `${action} failed: the provider could not be reached`);
  }
  if (error instanceof APIError) {
    const status = error.status;
    const reason = error.apiMessage ? `: ${error.apiMessage}` : "";
    const type = error.type ? ` ${error.type}` : "";
    const message = safeText(status ? `${action} failed (${status}${type})${reason}` : `${action} failed${type}${reason}`);
    // An `error` event in a stream carries no status: overloaded or an internal error, mid-answer.
    if (status === undefined) return new ProviderError(error.type === "rate_limit_error" ? "rate_limited" : "server", message);
    if (status === 401 || status === 403) return new ProviderError("unavailable", message, status);
    if (status === 404) return new ProviderError("not_found", message, status);
    if (status === 408) return new ProviderError("timeout", message, status);
    if (status === 429) return new ProviderError("rate_limited", message, status);
    if (status >= 500 || status === 409) return new ProviderError("server", message, status);
    return new ProviderError("invalid_request", message, status);
  }
  if (error instanceof SyntaxError) {
    return new ProviderError("bad_response", `${action} failed: the provider's answer was not valid JSON`);
  }
  if (error instanceof AnthropicError) {
    return new ProviderError("bad_response", `${action} failed: the provider's answer was unusable`);
  }
  return error;
}
