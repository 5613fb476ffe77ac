/**
 * Serves a Together simulator over HTTP with `Deno.serve`, for the local stack. Only imported from
 * Deno; Deno APIs are touched inside the function, never at module load.
 */
import { getResponse } from "msw";
import { errorResponse } from "../openai-simulator/responses.ts";
import type { TogetherSimulator } from "./simulator.ts";

export interface TogetherSimulatorServer {
  /** The base URL for `TOGETHER_BASE_URL`, e.g. `http://127.0.0.1:54331/v1`. */
  url: string;
  shutdown(): Promise<void>;
}

/** Listens on `hostname:port` (0: any free port) and answers with the simulator's handlers. */
export function serveTogetherSimulator({ hostname = "127.0.0.1", port = 0, simulator }: {
  hostname?: string;
  port?: number;
  simulator: TogetherSimulator;
}): TogetherSimulatorServer {
  const closing = new AbortController();
  const server = Deno.serve({ hostname, port, onListen() {} }, async (request) => {
    const url = new URL(request.url);
    if (!url.pathname.startsWith("/v1/")) url.pathname = `/v1${url.pathname}`;
    const routed = new Request(new Request(url, request), { signal: AbortSignal.any([request.signal, closing.signal]) });
    return await getResponse(simulator.handlers, routed) ??
      errorResponse(404, `Invalid URL (${routed.method} ${url.pathname})`);
  });
  return {
    url: `http://${hostname}:${server.addr.port}/v1`,
    shutdown() {
      closing.abort();
      return server.shutdown();
    },
  };
}
