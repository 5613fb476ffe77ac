import { connect, createServer, type Server, type Socket } from "node:net";

/** A loopback proxy in front of Postgres that counts the client's round trips. */
export interface CountingProxy {
  server: Server;
  port: number;
  /** Round trips since the proxy started or since the last `reset()`. */
  roundTrips(): number;
  reset(): void;
}

/**
 * Forwards to `target`'s Postgres, counting round trips: each time the client speaks after the
 * server has answered, it has waited one round trip. Messages it pipelines (sends before any answer)
 * ride along in the same one. This holds whatever the messages are, including postgres.js's
 * describe step before a parameterised statement when statements are not prepared.
 */
export function countingProxy(target: URL): Promise<CountingProxy> {
  let roundTrips = 0;
  const server = createServer((client: Socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    let serverSpokeLast = true;
    client.on("data", (chunk: Buffer) => {
      if (serverSpokeLast) roundTrips++;
      serverSpokeLast = false;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      serverSpokeLast = true;
      client.write(chunk);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        server,
        port: (server.address() as { port: number }).port,
        roundTrips: () => roundTrips,
        reset: () => {
          roundTrips = 0;
        },
      })
    )
  );
}

/** `url` with the proxy's port. */
export function throughProxy(url: string, proxy: CountingProxy): string {
  const proxied = new URL(url);
  proxied.port = String(proxy.port);
  return proxied.toString();
}
