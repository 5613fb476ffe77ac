import { errorBody } from "../errors.ts";
import { quotaExceededError } from "./responses.ts";

/** The failures of any endpoint that asks the model for a reply: a spent quota, the provider down. */
export const replyFailureResponses = {
  429: {
    description: "The daily chat quota is spent",
    schema: quotaExceededError,
    headers: { "Retry-After": "Seconds until the quota resets" },
  },
  502: { description: "The model and its fallback failed (`retryable: true`); nothing was stored", schema: errorBody },
  503: { description: "The provider or the database is unavailable (`retryable: true`); nothing was stored", schema: errorBody },
} as const;
