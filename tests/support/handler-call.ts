import type { TestUser } from "./stack.ts";

const base = "http://localhost/functions/v1";

/**
 * Calls a function's handler in-process, as the user (or anonymously), with a JSON body when one
 * is given (POST by default then, else GET); answers the status and the parsed JSON.
 */
export async function callHandler(handler: (request: Request) => Promise<Response>, path: string, init: {
  method?: string;
  user?: TestUser;
  body?: unknown;
} = {}) {
  const response = await handler(new Request(`${base}/${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.user ? { Authorization: `Bearer ${init.user.token}` } : {}),
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  }));
  return { status: response.status, json: await response.json() as any };
}
