import { env } from "../../env.ts";
import { ProviderError } from "../../llm/errors.ts";
import { isAbort, toProviderError } from "../openai/errors.ts";

/**
 * SDK failures of the compatible endpoint, read by the OpenAI provider's mapper (the same SDK, the
 * same error classes) with two differences: the endpoint's own key is kept out of messages, and
 * Cohere's 402 (billing limit) and 498 (invalid token) mean the endpoint is closed to us.
 */
const CLOSED_STATUSES = new Set([402, 498]);

function withoutKey(message: string): string {
  const key = env().COMPATIBLE_API_KEY;
  return key && key.length >= 8 ? message.split(key).join("[redacted]") : message;
}

/**
 * A `ProviderError` for what the SDK threw while `action` ran; an abort comes back as it is. Any
 * other failure past the request (the body's connection breaking) is the provider's: `server`.
 */
export function compatibleFailure(error: unknown, action: string): unknown {
  const mapped = toProviderError(error, { action });
  if (isAbort(mapped)) return mapped;
  if (!(mapped instanceof ProviderError)) return new ProviderError("server", `${action} failed: the connection broke off`);
  const kind = mapped.status !== undefined && CLOSED_STATUSES.has(mapped.status) ? "unavailable" : mapped.kind;
  return new ProviderError(kind, withoutKey(mapped.message), mapped.status);
}
