import type { z } from "zod";

/** Failures of model providers and of what a model generated, in terms every layer above decides on. */

/** Why a provider call failed, in the terms the lifecycle decides on. */
export type ProviderErrorKind =
  | "unavailable" // fine-tuning refused or closed for this account (400/403/404 on job creation): persona mode
  | "rate_limited" // 429 after the SDK's retries
  | "server" // 5xx after retries
  | "timeout" // no answer in time
  | "not_found" // the job, file or model does not exist (e.g. a retired fine-tuned model)
  | "bad_response" // the provider answered something we could not use
  | "invalid_request"; // our request was refused (bug or bad data)

/** A provider failure with the kind the caller decides on and a message safe to store. */
export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(readonly kind: ProviderErrorKind, message: string, readonly status?: number) {
    super(message);
  }

  /** Worth trying again later (the sync does; a chat falls back once). */
  get retryable(): boolean {
    return this.kind === "rate_limited" || this.kind === "server" || this.kind === "timeout" ||
      this.kind === "bad_response";
  }
}

/** The training data could not be produced or is not valid; the message is safe to store and show. */
export class TrainingDataError extends Error {
  override name = "TrainingDataError";
}

/**
 * Checks a provider answer against the fields we use. The SDK does not validate responses, and an
 * OpenAI-compatible endpoint or a proxy may answer 200 with something else entirely.
 */
export function parseProviderResponse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  action: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues[0]?.path.join(".") || "body";
  throw new ProviderError("bad_response", `${action} failed: unexpected answer from the provider (${where})`);
}
