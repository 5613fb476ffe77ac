import { assertDocumentedResponse } from "./openapi-contract.ts";
import { stack } from "./stack.ts";

/**
 * Calls a function of the running stack over HTTP, as a client app would, and fails unless the
 * answer is one openapi.json documents (status, and body or events).
 */
export async function callFunction(
  path: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["Content-Type"] ??= "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const url = `${stack().functionsUrl}/${path}`;
  const method = options.method ?? (body === undefined ? "GET" : "POST");
  const response = await fetch(url, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  assertDocumentedResponse(method, url, { status: response.status, headers: response.headers, text });
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}
