/**
 * Serves the compatible simulator over HTTP with `Deno.serve` for the local stack. Deno APIs are
 * touched inside the function, never at module load.
 */
import { getResponse } from "msw";
import { cohereError } from "./responses.ts";
import type { CompatibleSimulator } from "./simulator.ts";

/** Listens on 127.0.0.1:`port`; `url` is the base for COMPATIBLE_BASE_URL (`.../compatibility/v1`). */
export function serveCompatibleSimulator(port: number, simulator: CompatibleSimulator) {
  const closing = new AbortController();
  const answer = async (request: Request) =>
    await getResponse(simulator.handlers, new Request(request, { signal: AbortSignal.any([request.signal, closing.signal]) })) ??
      cohereError(404, "404 page not found");
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, answer);
  return {
    url: `http://127.0.0.1:${server.addr.port}/compatibility/v1`,
    shutdown: () => {
      closing.abort();
      return server.shutdown();
    },
  };
}
