/**
 * Cohere's wire shapes: its error body `{ id, message }` (cohere-openapi.yaml's error responses;
 * docs.cohere.com/reference/errors lists the messages) and the messages it gives per status.
 */
import { HttpResponse } from "msw";

/** Cohere's error answer. */
export function cohereError(status: number, message: string): Response {
  return HttpResponse.json({ id: crypto.randomUUID(), message }, { status });
}

/** The message Cohere's error reference gives for a status, for faults armed without one. */
export function cohereMessage(status: number): string {
  switch (status) {
    case 401: return "invalid api token";
    case 402: return "Please add or update your payment method at https://dashboard.cohere.com/billing?tab=payment to continue";
    case 404: return "404 page not found";
    case 429: return "You are past the per minute request limit, please wait and try again later.";
    default: return status >= 500 ? "internal server error, this has been reported to our developers" : "invalid request";
  }
}

/** The 404 for a model Cohere does not serve to this key. */
export function modelNotFound(model: string): Response {
  return cohereError(404, `model '${model}' not found, make sure the correct model ID was used and that you have access to the model.`);
}
