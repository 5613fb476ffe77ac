import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from "openai/core/error";
// The error classes alone (the same classes the SDK throws): importing them from "openai" would
// load the whole SDK with every module that reads provider errors, in every cold start.
import { env } from "../../env.ts";
import { ProviderError } from "../../llm/errors.ts";
import { ORGANISATION_REFUSED } from "./access.ts";

/** How an SDK failure is read; the same status means different things for different calls. */
export interface ErrorContext {
  /** What we were doing, in words a stored message can carry: "starting the fine-tuning job". */
  action: string;
  /**
   * Job creation: a 400/403/404 that says fine-tuning is closed, not offered to this account or not
   * offered for this model is the provider refusing, and the model runs in persona mode.
   */
  creatingJob?: boolean;
}

// Codes OpenAI (and compatible providers) use when a model or account cannot be fine-tuned.
const REFUSAL_CODES = new Set([
  "model_not_available",
  "model_not_found",
  "fine_tuning_not_available",
  "fine_tuning_unavailable",
  "training_not_available",
  "fine_tuning_disabled",
  "unsupported_model",
  "invalid_model",
]);
const REFUSAL_TEXT = [
  /not available for fine[- ]?tuning/i,
  /fine[- ]?tuning (is |has been )?(not available|unavailable|closed|disabled|not enabled|no longer)/i,
  /(not|no longer) (allowed|permitted|able) to (create )?fine[- ]?tun/i,
  /(cannot|can't|can not) be fine[- ]?tuned|not fine[- ]?tunable|does not support fine[- ]?tuning/i,
  /model\b.*\b(does not exist|not found)/i,
];

const MAX_MESSAGE_LENGTH = 300;

/**
 * Makes provider text safe to store and log: no API key (whole or masked, as OpenAI echoes it in
 * 401 messages) and bounded, so an echoed request fragment cannot grow a stored row.
 */
export function safeProviderText(text: string): string {
  let safe = text;
  const key = env().OPENAI_API_KEY;
  // A short dev placeholder ("sim") would otherwise blank out ordinary words.
  if (key && key.length >= 8) safe = safe.split(key).join("[redacted]");
  safe = safe.replace(/\b(sk|sess|rk)-[A-Za-z0-9_*.\-]{3,}/g, "[redacted]");
  safe = safe.replace(/\s+/g, " ").trim();
  return safe.length > MAX_MESSAGE_LENGTH ? `${safe.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : safe;
}

/** The provider's own explanation of an HTTP error, when its body carried one. */
function providerReason(error: APIError): string | undefined {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === "string" && body.message.trim() ? body.message : undefined;
}

function isRefusal(error: APIError): boolean {
  if (error.status === 403) return true;
  if (error.param === "training_file" || error.param === "validation_file") return false;
  if (error.status === 404) return true;
  if (error.status !== 400 && error.status !== 422) return false;
  if (error.param === "model" || (error.code && REFUSAL_CODES.has(error.code))) return true;
  const reason = providerReason(error) ?? "";
  return REFUSAL_TEXT.some((pattern) => pattern.test(reason));
}

function describe(context: ErrorContext, status: number | undefined, error: APIError): string {
  const reason = providerReason(error);
  const code = error.code ? ` ${error.code}` : "";
  const head = status ? `${context.action} failed (${status}${code})` : `${context.action} failed`;
  return safeProviderText(reason ? `${head}: ${reason}` : head);
}

/** True for a caller's abort (the SDK's own error or a DOM AbortError): not a provider failure. */
export function isAbort(error: unknown): boolean {
  return error instanceof APIUserAbortError ||
    (error instanceof Error && error.name === "AbortError");
}

/**
 * Maps whatever an SDK call threw to a `ProviderError` with a kind the caller decides on and a
 * message safe to store. Aborts and errors that are not the provider's (our own bugs) come back
 * unchanged, so they are not mistaken for an outage.
 */
export function toProviderError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof ProviderError || isAbort(error)) return error;
  // Checked before APIConnectionError, which it extends.
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError("timeout", `${context.action} timed out`);
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError("server", `${context.action} failed: the provider could not be reached`);
  }
  if (error instanceof APIError) {
    const status = error.status;
    const message = describe(context, status, error);
    if (status === undefined) return new ProviderError("server", message); // an error event mid-stream
    // A 403 on job creation is the organisation's refusal (no fine-tuning access), not the model's.
    if (context.creatingJob && status === 403) {
      const reason = providerReason(error);
      return new ProviderError("unavailable", safeProviderText(`${ORGANISATION_REFUSED}${reason ? `: ${reason}` : "."}`), status);
    }
    if (context.creatingJob && isRefusal(error)) return new ProviderError("unavailable", message, status);
    if (status === 401 || status === 403) return new ProviderError("unavailable", message, status);
    if (status === 404 || error.code === "model_not_found") {
      return new ProviderError("not_found", message, status);
    }
    if (status === 408) return new ProviderError("timeout", message, status);
    if (status === 429) return new ProviderError("rate_limited", message, status);
    if (status >= 500 || status === 409) return new ProviderError("server", message, status);
    return new ProviderError("invalid_request", message, status);
  }
  // A body that is not JSON (the SDK's response.json() or an SSE chunk failed to parse).
  if (error instanceof SyntaxError) {
    return new ProviderError("bad_response", `${context.action} failed: the provider's answer was not valid JSON`);
  }
  // The SDK's own complaints about an answer it could not use (no body to stream, and the like).
  if (error instanceof OpenAIError) {
    return new ProviderError("bad_response", `${context.action} failed: the provider's answer was unusable`);
  }
  return error;
}
