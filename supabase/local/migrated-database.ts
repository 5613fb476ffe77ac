/**
 * A throwaway cluster with the migrations applied (no seed), for the generated files (types,
 * schema.sql): created in a temporary folder on a free port, removed when `use` is done.
 */
import { prepareDatabase } from "./database.ts";
import { startCluster } from "./postgres.ts";

export async function withMigratedDatabase<T>(use: (databaseUrl: string) => Promise<T>): Promise<T> {
  const dataDir = await Deno.makeTempDir({ prefix: "storyvoice-migrated-" });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const cluster = await startCluster(dataDir, port);
  try {
    await prepareDatabase(cluster.url, { seed: false });
    return await use(cluster.url);
  } finally {
    await cluster.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}
