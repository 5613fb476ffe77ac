/**
 * Serves an OpenAI simulator over HTTP with `Deno.serve`, for the local stack and end-to-end tests.
 * Only imported from Deno; Deno APIs are touched inside the function, never at module load.
 */
import { getResponse } from "msw";
import { simulatorControlHandlers } from "./control.ts";
import { errorResponse } from "./responses.ts";
import type { OpenAISimulator } from "./simulator.ts";

/** A running simulator server. */
export interface OpenAISimulatorServer {
  /** The base URL for the SDK / `OPENAI_BASE_URL`, e.g. `http://127.0.0.1:54329/v1`. */
  url: string;
  /** Stops listening and waits for open requests to finish. */
  shutdown(): Promise<void>;
}

/**
 * Listens on `hostname:port` (port 0 or omitted: any free port; `url` tells which) and answers
 * with the simulator's handlers. Paths without the `/v1` prefix are accepted too, so a base URL
 * configured with or without `/v1` both work.
 */
export function serveOpenAISimulator({ hostname = "127.0.0.1", port = 0, simulator }: {
  hostname?: string;
  port?: number;
  simulator: OpenAISimulator;
}): OpenAISimulatorServer {
  // Aborts hanging requests (injected timeouts, latency) on shutdown, which otherwise waits for them.
  const closing = new AbortController();
  const handlers = [...simulatorControlHandlers(simulator), ...simulator.handlers];
  const server = Deno.serve({ hostname, port, onListen() {} }, async (request) => {
    const routed = new Request(withV1Prefix(request), { signal: AbortSignal.any([request.signal, closing.signal]) });
    return await getResponse(handlers, routed) ?? invalidUrl(routed);
  });
  const boundPort = server.addr.port;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${boundPort}/v1`,
    shutdown() {
      closing.abort();
      return server.shutdown();
    },
  };
}

function withV1Prefix(request: Request): Request {
  const url = new URL(request.url);
  if (url.pathname === "/v1" || url.pathname.startsWith("/v1/")) return request;
  url.pathname = `/v1${url.pathname}`;
  return new Request(url, request);
}

/** OpenAI's answer for a path it does not serve. */
function invalidUrl(request: Request): Response {
  return errorResponse(404, `Invalid URL (${request.method} ${new URL(request.url).pathname})`);
}
