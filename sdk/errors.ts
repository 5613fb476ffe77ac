import type { components } from "./openapi.ts";

/** One validation issue as the API reports it: where (the zod path) and what. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

type QuotaName = components["schemas"]["CreationQuotaError"]["quota"];
type ErrorBody = components["schemas"]["Error"] & {
  resetAt?: string;
  model?: components["schemas"]["Model"];
  quota?: QuotaName;
  limit?: number;
};

/**
 * Every failure the SDK reports: an API error body (`code`, `status`, ...), a network failure
 * (`code: "network_error"`, status 0, retryable) or an answer it could not read.
 */
export class StoryvoiceError extends Error {
  override name = "StoryvoiceError";
  readonly status: number;
  readonly code: string;
  readonly retryable: boolean;
  /** When a spent quota resets (429). */
  readonly resetAt?: Date;
  /** For a create's or retrain's 429: which quota of the plan is spent, and its limit. */
  readonly quota?: { name: QuotaName; limit: number };
  /** For `validation_failed`: the issues, each with its path. */
  readonly details?: unknown;
  /** For 409 `already exists`: the existing model. */
  readonly model?: components["schemas"]["Model"];
  readonly requestId?: string;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    retryable?: boolean;
    resetAt?: string;
    quota?: { name: QuotaName; limit: number };
    details?: unknown;
    model?: components["schemas"]["Model"];
    requestId?: string;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.retryable = init.retryable ?? false;
    this.resetAt = init.resetAt ? new Date(init.resetAt) : undefined;
    this.quota = init.quota;
    this.details = init.details;
    this.model = init.model;
    this.requestId = init.requestId;
  }

  /** The validation issues, when there are any (empty otherwise). */
  get fieldIssues(): FieldIssue[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter((issue): issue is FieldIssue =>
      typeof issue === "object" && issue !== null && Array.isArray(issue.path) && typeof issue.message === "string"
    );
  }
}

/** Builds the typed error from a failed response's status and body text. */
export function errorFromResponse(status: number, text: string, requestId?: string): StoryvoiceError {
  let body: ErrorBody | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const info = body?.error;
  if (!info || typeof info.code !== "string") {
    return new StoryvoiceError({
      status,
      code: "unexpected_response",
      message: `The server answered ${status} without an error body.`,
      retryable: status >= 500,
      requestId,
    });
  }
  return new StoryvoiceError({
    status,
    code: info.code,
    message: info.message,
    retryable: info.retryable === true,
    details: info.details,
    resetAt: body?.resetAt,
    quota: body?.quota && typeof body.limit === "number" ? { name: body.quota, limit: body.limit } : undefined,
    model: body?.model,
    requestId,
  });
}
