import { env } from "../../env.ts";
import { ProviderError } from "../../llm/errors.ts";

/** What a Together call was doing, for messages and for how its failures read. */
export interface TogetherCall {
  /** In words a stored message can carry: "starting the Together fine-tuning job". */
  action: string;
  /**
   * Job creation: a refusal (no fine-tuning on this account or plan, or not for this base model)
   * means persona mode, not a retry.
   */
  creatingJob?: boolean;
}

const REFUSAL_TEXT = [
  /not (available|supported|enabled) for fine[- ]?tun/i,
  /fine[- ]?tuning (is )?(not available|unavailable|disabled|not enabled|not supported)/i,
  /(insufficient|no) (credits|balance)|payment required|billing/i,
  /model\b.*\b(not supported|does not exist|not found)/i,
];
const MAX_MESSAGE_LENGTH = 300;

/** Provider text safe to store and log: no API key, bounded in length. */
export function safeTogetherText(text: string): string {
  let safe = text;
  const key = env().TOGETHER_API_KEY;
  if (key && key.length >= 8) safe = safe.split(key).join("[redacted]");
  safe = safe.replace(/\s+/g, " ").trim();
  return safe.length > MAX_MESSAGE_LENGTH ? `${safe.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : safe;
}

/** The reason in Together's error body: `{ error: { message, code } }`, or a bare `{ message }`. */
async function readReason(response: Response): Promise<{ message: string; code: string | null }> {
  try {
    const body = await response.json() as { error?: { message?: unknown; code?: unknown } | string; message?: unknown };
    const error = typeof body.error === "object" && body.error ? body.error : {};
    const message = typeof error.message === "string"
      ? error.message
      : typeof body.error === "string"
      ? body.error
      : typeof body.message === "string"
      ? body.message
      : "";
    return { message, code: typeof error.code === "string" ? error.code : null };
  } catch {
    return { message: "", code: null };
  }
}

/**
 * An HTTP error answer as a `ProviderError` with the kind the lifecycle decides on: refusals of job
 * creation and a key Together does not accept are `unavailable` (persona mode), 404 `not_found`
 * (a deleted adapter: chat falls back), 429/5xx the retryable kinds.
 */
export async function togetherHttpError(response: Response, call: TogetherCall): Promise<ProviderError> {
  const { status } = response;
  const { message, code } = await readReason(response);
  const reason = message ? `: ${safeTogetherText(message)}` : "";
  const text = `${call.action} failed (${status}${code ? ` ${code}` : ""})${reason}`;
  const refused = status === 402 || status === 403 ||
    ((status === 400 || status === 404 || status === 422) && REFUSAL_TEXT.some((pattern) => pattern.test(message)));
  if (call.creatingJob && refused) return new ProviderError("unavailable", text, status);
  if (status === 401 || status === 403) return new ProviderError("unavailable", text, status);
  if (status === 404) return new ProviderError("not_found", text, status);
  if (status === 408) return new ProviderError("timeout", text, status);
  if (status === 429) return new ProviderError("rate_limited", text, status);
  if (status >= 500 || status === 409) return new ProviderError("server", text, status);
  return new ProviderError("invalid_request", text, status);
}
