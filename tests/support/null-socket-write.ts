/**
 * Reproduces postgres.js 3.4.9's write to a closed socket (porsager/postgres#1208) through the
 * project's own pool, in a Deno process of its own: a transaction's backend is terminated while a
 * query is in flight, so the ROLLBACK that `begin()` sends itself lands on the closed socket.
 * Prints one JSON line with what happened; the process surviving is the point.
 * Usage: deno run -A --config supabase/local/deno.json tests/support/null-socket-write.ts
 * (SUPABASE_DB_URL set; the pid is terminated from a connection of its own).
 */
import postgres from "postgres";
import { closeDatabase, withServiceTransaction } from "../../shared/db/client.ts";

const killer = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 1, onnotice: () => {} });
let guarded = 0;
globalThis.addEventListener("error", () => guarded++);

let pid: number | undefined;
// The outcome is taken at once: the transaction may fail before the kill's own answer arrives, and
// a rejection nobody handles yet would end the process as surely as the defect.
const outcome = withServiceTransaction(async (tx) => {
  const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
  pid = row.pid;
  await tx`select pg_sleep(2)`;
}).then(() => "none", (error) => String(error.code ?? error));
while (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
await killer`select pg_terminate_backend(${pid})`;
const failure = await outcome;
// Give the deferred write its turn, then use the pool again.
await new Promise((resolve) => setTimeout(resolve, 200));
const [{ one }] = await withServiceTransaction((tx) => tx<{ one: number }[]>`select 1 as one`);
await killer.end();
await closeDatabase();
console.log(JSON.stringify({ failure, guarded, afterwards: one }));
