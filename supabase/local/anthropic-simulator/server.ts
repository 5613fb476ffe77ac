/**
 * Serves an Anthropic simulator over HTTP with `Deno.serve`, for the local stack and end-to-end
 * tests. Deno APIs are touched inside the function, never at module load.
 */
import { getResponse } from "msw";
import { errorResponse } from "./responses.ts";
import type { AnthropicSimulator } from "./simulator.ts";

export interface AnthropicSimulatorServer {
  /** The base URL for the SDK / `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:54331` (the SDK adds `/v1`). */
  url: string;
  shutdown(): Promise<void>;
}

export function serveAnthropicSimulator({ hostname = "127.0.0.1", port = 0, simulator }: {
  hostname?: string;
  port?: number;
  simulator: AnthropicSimulator;
}): AnthropicSimulatorServer {
  const closing = new AbortController();
  const server = Deno.serve({ hostname, port, onListen() {} }, async (request) => {
    const routed = new Request(request, { signal: AbortSignal.any([request.signal, closing.signal]) });
    return await getResponse(simulator.handlers, routed) ??
      errorResponse(404, `Not found: ${request.method} ${new URL(request.url).pathname}`);
  });
  return {
    url: `http://${hostname}:${server.addr.port}`,
    shutdown() {
      closing.abort();
      return server.shutdown();
    },
  };
}
