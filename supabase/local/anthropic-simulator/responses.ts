/** Anthropic's wire shapes: its error envelope (the SDK's `ErrorResponse`) and request ids. */
import type Anthropic from "@anthropic-ai/sdk";
import { HttpResponse } from "msw";
import { randomId } from "../openai-simulator/responses.ts";

export type AnthropicErrorType = Anthropic.ErrorObject["type"];

/** The error type Anthropic sends with a status. */
export function errorTypeFor(status: number): AnthropicErrorType {
  switch (status) {
    case 401: return "authentication_error";
    case 402: return "billing_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 429: return "rate_limit_error";
    case 504: return "timeout_error";
    case 529: return "overloaded_error";
    default: return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

/** A JSON answer with Anthropic's `request-id` header. */
export function jsonResponse(body: unknown, status = 200, requestId = randomId("req_", 24)): Response {
  return HttpResponse.json(body as Record<string, unknown>, { status, headers: { "request-id": requestId } });
}

/** `{ type: "error", error: { type, message }, request_id }`, as the SDK's `ErrorResponse` types it. */
export function errorBody(message: string, type: AnthropicErrorType, requestId: string | null = null): Anthropic.ErrorResponse {
  return { type: "error", error: { type, message }, request_id: requestId };
}

/** An error answer with the status's error type (or `type`). */
export function errorResponse(status: number, message: string, type: AnthropicErrorType = errorTypeFor(status)): Response {
  const requestId = randomId("req_", 24);
  return jsonResponse(errorBody(message, type, requestId), status, requestId);
}
