/** Response helpers shared by the endpoints, in OpenAI's wire shapes. */
import { HttpResponse } from "msw";
import type OpenAI from "openai";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random id in OpenAI's style, e.g. `randomId("file-")` -> `file-7Qd3...`. */
export function randomId(prefix: string, length = 24): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let id = prefix;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

function requestIdHeader(): Record<string, string> {
  // The SDK exposes this as `_request_id`; clients log it.
  return { "x-request-id": randomId("req_", 32) };
}

/** A JSON answer with the headers OpenAI always sends. */
export function jsonResponse(body: unknown, status = 200): Response {
  return HttpResponse.json(body as Record<string, unknown>, { status, headers: requestIdHeader() });
}

export type OpenAIErrorType = "invalid_request_error" | "authentication_error" | "rate_limit_error" | "server_error";

/** OpenAI's error envelope: `{ error: { message, type, param, code } }`. */
export function errorResponse(
  status: number,
  message: string,
  details: { type?: OpenAIErrorType; param?: string | null; code?: string | null } = {},
): Response {
  const type = details.type ?? defaultErrorType(status);
  const error: OpenAI.ErrorObject = { message, type, param: details.param ?? null, code: details.code ?? null };
  return jsonResponse({ error }, status);
}

function defaultErrorType(status: number): OpenAIErrorType {
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/** The message OpenAI gives for a status when a fault is injected without one of its own. */
export function defaultErrorMessage(status: number): string {
  if (status === 429) return "Rate limit reached for requests. Please try again later.";
  if (status === 503) return "The engine is currently overloaded, please try again later.";
  if (status >= 500) return "The server had an error while processing your request. Sorry about that!";
  if (status === 401) return "Incorrect API key provided.";
  if (status === 404) return "The requested resource was not found.";
  return "The request was rejected.";
}

/** The body of a POST, or `null` when it is not a JSON object (the caller answers 400). */
export async function readJsonObject(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const body: unknown = await request.json();
    return body !== null && typeof body === "object" && !Array.isArray(body) ? body as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

/** The answer OpenAI gives to a body that is not JSON. */
export function invalidJsonResponse(): Response {
  return errorResponse(400, "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.");
}

/**
 * Resolves after `milliseconds`, or early when `signal` aborts (so an abandoned request leaves no
 * timer behind). Answers whether the full wait elapsed.
 */
export function waitUnlessAborted(milliseconds: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, milliseconds);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Cursor pagination as OpenAI lists do it: items after the one with id `after`, up to `limit`. */
export function paginate<T extends { id: string }>(items: T[], query: URLSearchParams, defaultLimit = 20) {
  const requestedLimit = Number(query.get("limit") ?? defaultLimit);
  const limit = Number.isInteger(requestedLimit) && requestedLimit > 0 ? Math.min(requestedLimit, 100) : defaultLimit;
  const after = query.get("after");
  const start = after ? items.findIndex((item) => item.id === after) + 1 : 0;
  const data = items.slice(start, start + limit);
  return { object: "list" as const, data, has_more: start + limit < items.length };
}
