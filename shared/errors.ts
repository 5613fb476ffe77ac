import { z } from "zod";

/** An error that knows its HTTP status; the pipeline turns it into the error body of the API. */
export class HttpError extends Error {
  override name = "HttpError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: {
      details?: unknown;
      retryable?: boolean;
      /** Extra top-level fields of the body, e.g. the existing model of a 409. */
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
  }
}

/** A validation issue in the shape clients get: where (zod path) and what. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

export const badRequest = (message: string, details?: unknown) =>
  new HttpError(400, "bad_request", message, { details });
export const invalidJson = () =>
  new HttpError(400, "invalid_json", "The request body is not valid JSON.");
export const validationFailed = (issues: FieldIssue[], status: 400 | 422 = 422) =>
  new HttpError(status, "validation_failed", "The request is invalid.", { details: issues });
export const unauthorized = (message = "A valid bearer token is required.") =>
  new HttpError(401, "unauthorized", message, { headers: { "WWW-Authenticate": "Bearer" } });
/** A valid token whose user was deleted from Supabase Auth while the token still lives. */
export const userNotFound = () =>
  new HttpError(401, "user_not_found", "The user of this token no longer exists.", {
    headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' },
  });
export const forbidden = (message = "This caller may not do that.") =>
  new HttpError(403, "forbidden", message);
export const notFound = (message = "Not found.") => new HttpError(404, "not_found", message);
export const methodNotAllowed = (allowed: readonly string[]) =>
  new HttpError(405, "method_not_allowed", `Use ${allowed.join(" or ")}.`, {
    headers: { Allow: [...allowed, "OPTIONS"].join(", ") },
  });
export const conflict = (message: string, extra?: Record<string, unknown>) =>
  new HttpError(409, "already_exists", message, { extra });
export const payloadTooLarge = (limitBytes: number) =>
  new HttpError(413, "payload_too_large", `The request body is over ${limitBytes} bytes.`);
export const unsupportedMediaType = () =>
  new HttpError(415, "unsupported_media_type", "Send the body as application/json.");
export const tooManyRequests = (message: string, resetAt?: Date, extra?: Record<string, unknown>) =>
  new HttpError(429, "too_many_requests", message, {
    retryable: true,
    extra: resetAt || extra ? { ...(resetAt ? { resetAt: resetAt.toISOString() } : {}), ...extra } : undefined,
    headers: resetAt
      ? { "Retry-After": String(Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000))) }
      : undefined,
  });
/** The deployment's DAILY_SPEND_LIMIT_USD is reached: no paid call until `resetAt` (the next UTC midnight). */
export const spendLimitReached = (resetAt: Date) =>
  new HttpError(429, "spend_limit_reached", "This service has reached its spending limit for today; try again after it resets.", {
    retryable: true,
    extra: { resetAt: resetAt.toISOString() },
    headers: { "Retry-After": String(Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000))) },
  });
export const upstreamFailed = (message = "The language model provider failed; try again.") =>
  new HttpError(502, "provider_error", message, { retryable: true });
export const upstreamUnavailable = (message = "The language model provider is unavailable; try again.") =>
  new HttpError(503, "provider_unavailable", message, { retryable: true });
export const databaseUnavailable = () =>
  new HttpError(503, "database_unavailable", "The database is unavailable; try again.", {
    retryable: true,
  });

/** One failed check of a request, as `details` of a `validation_failed` error lists it. */
export const fieldIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])).describe("Where, as a zod issue path"),
  message: z.string(),
}).meta({ id: "FieldIssue" });

/** The `error` member of every error body. */
export const errorInfoSchema = z.object({
  code: z.string().describe("Stable machine-readable code, e.g. `validation_failed`, `not_found`"),
  message: z.string().describe("For people; never a stack trace or a database message"),
  details: z.unknown().optional().describe("For `validation_failed`: a list of FieldIssue"),
  retryable: z.literal(true).optional().describe("Present when the same request may succeed later"),
}).meta({ id: "ErrorInfo" });

/**
 * The body of every error answer: `{ success: false, error: { code, message, details?, retryable? } }`.
 * The 409 and 429 bodies extend it (the existing model, `resetAt`) beside their endpoints.
 */
export const errorBody = z.object({
  success: z.literal(false),
  error: errorInfoSchema,
}).meta({ id: "Error" });
