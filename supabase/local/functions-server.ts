/**
 * Serves every function in functions/ under /functions/v1/<name>, as `supabase functions serve`
 * would: each function's index.ts default export (`{ fetch }`) gets the request with the
 * /functions/v1 prefix removed, the path the function sees on Supabase.
 */

type FetchHandler = (request: Request) => Response | Promise<Response>;
/** A dev-only route of the local stack (Auth, Data API): its answer, or null when not its path. */
export type DevRoute = (request: Request) => Promise<Response | null>;

const functionsDir = new URL("../../functions/", import.meta.url);

/** Imports every function module; a function that fails to load stops the stack. */
export async function loadFunctions(): Promise<Map<string, FetchHandler>> {
  const handlers = new Map<string, FetchHandler>();
  for await (const entry of Deno.readDir(functionsDir)) {
    if (!entry.isDirectory) continue;
    const module = await import(new URL(`${entry.name}/index.ts`, functionsDir).href);
    handlers.set(entry.name, module.default.fetch);
  }
  return handlers;
}

/**
 * Starts the HTTP server; returns its base URL and a shutdown function. `devRoutes` answer the
 * other paths of the project URL that supabase-js calls (/auth/v1, /rest/v1) in local dev.
 */
export function serveFunctions(handlers: Map<string, FetchHandler>, port: number, devRoutes: DevRoute[] = []) {
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, async (request) => {
    for (const route of devRoutes) {
      const answer = await route(request);
      if (answer) return answer;
    }
    const url = new URL(request.url);
    const match = url.pathname.match(/^\/functions\/v1\/([a-z0-9-]+)(\/.*)?$/);
    const handler = match ? handlers.get(match[1]) : undefined;
    if (!match || !handler) {
      return Response.json(
        { success: false, error: { code: "function_not_found", message: "No such function." } },
        { status: 404 },
      );
    }
    url.pathname = `/${match[1]}${match[2] ?? ""}`;
    return await handler(new Request(url, request));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}/functions/v1`,
    shutdown: () => server.shutdown(),
  };
}
