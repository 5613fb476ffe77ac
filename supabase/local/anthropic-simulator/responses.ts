/** Anthropic's wire shapes: its error envelope and request ids. */
import { HttpResponse } from "msw";
import { randomId } from "../openai-simulator/responses.ts";

export type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "overloaded_error";

/** The error type Anthropic sends with a status. */
export function errorTypeFor(status: number): AnthropicErrorType {
  switch (status) {
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 529: return "overloaded_error";
    default: return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

/** A JSON answer with Anthropic's `request-id` header. */
export function jsonResponse(body: unknown, status = 200): Response {
  return HttpResponse.json(body as Record<string, unknown>, { status, headers: { "request-id": randomId("req_", 24) } });
}

/** `{ type: "error", error: { type, message } }`. */
export function errorResponse(status: number, message: string, type: AnthropicErrorType = errorTypeFor(status)): Response {
  return jsonResponse({ type: "error", error: { type, message } }, status);
}
