import { createServer, type IncomingMessage, type Server } from "node:http";
import { getResponse } from "msw";
import type { OpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";

/**
 * Serves the simulator on a real loopback socket from Node (the stack serves it from Deno). Suites
 * that need real HTTP behaviour, such as the SDK's retries, use it instead of in-process msw.
 */
export async function serveSimulatorOverHttp(simulator: OpenAISimulator): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = createServer(async (incoming: IncomingMessage, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const request = new Request(`http://127.0.0.1${incoming.url}`, {
      method: incoming.method,
      headers,
      body: incoming.method === "GET" || incoming.method === "HEAD" ? undefined : body,
    });
    const response = await getResponse(simulator.handlers, request) ??
      new Response(JSON.stringify({ error: { message: "not found" } }), { status: 404 });
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
