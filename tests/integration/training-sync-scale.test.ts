import { createServer, type Server, type Socket, connect } from "node:net";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase } from "../../shared/db/client.ts";
import { resetOpenAI } from "../../shared/providers/openai-client.ts";
import { runTrainingSync } from "../../shared/sync/run-training-sync.ts";
import { createOpenAISimulator } from "../mocks/openai/simulator.ts";
import { adminSql, closeAdminSql, createUser, stack, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { arrangeJob, type ArrangedJobState, insertTrackedModels } from "../support/training-jobs.ts";

// 10,000 due models advanced by ONE run, counting what the run sends to Postgres: the sync talks to
// the database through a proxy that counts round trips (Sync and simple Query messages, after each
// of which the client waits for ReadyForQuery). Same isolation as training-sync.test.ts: a 2030
// clock and a run scoped to this file's user.
const START = Date.UTC(2030, 6, 1);
const JOB_MS = 100_000;
const MODELS = 10_000;
const sim = createOpenAISimulator({ jobDurationMs: JOB_MS, now: () => START });
const server = setupServer(...sim.handlers);
let owner: TestUser;
let proxy: Server;
let roundTrips = 0;

/** Forwards to the stack's Postgres, counting the client's round trips in the v3 protocol. */
function countingProxy(target: URL): Promise<{ server: Server; port: number }> {
  const server = createServer((client: Socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    let buffered = Buffer.alloc(0);
    let startupDone = false;
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        // The startup packet (and an SSL request) has no type byte; every later message has one.
        const header = startupDone ? 5 : 4;
        if (buffered.length < header) break;
        const length = startupDone ? buffered.readInt32BE(1) + 1 : buffered.readInt32BE(0);
        if (buffered.length < length) break;
        if (startupDone && (buffered[0] === 0x53 /* S */ || buffered[0] === 0x51 /* Q */)) roundTrips++;
        if (!startupDone && buffered.readInt32BE(4) === 196608) startupDone = true;
        buffered = buffered.subarray(length);
      }
    });
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port }))
  );
}

beforeAll(async () => {
  const target = new URL(stack().databaseUrl);
  const counted = await countingProxy(target);
  proxy = counted.server;
  const proxied = new URL(stack().databaseUrl);
  proxied.port = String(counted.port);
  server.listen({ onUnhandledRequest: "error" });
  useStackEnvironment({ SUPABASE_DB_URL: proxied.toString() });
  resetOpenAI();
  owner = await createUser("sync-scale");
});
afterAll(async () => {
  server.close();
  await adminSql()`delete from auth.users where id = ${owner.id}`;
  await closeDatabase();
  await closeAdminSql();
  proxy.close();
});

describe("training sync at scale", () => {
  it("advances 10,000 due models in one run with a constant number of round trips per batch", { timeout: 120_000 }, async () => {
    // Mostly finished jobs (what a backlog looks like), some still queued or running.
    const mix: ArrangedJobState[] = [
      ...Array<ArrangedJobState>(14).fill("succeeded"), "failed", "cancelled", "queued", "queued", "running", "running",
    ];
    const jobs = Array.from({ length: MODELS }, (_, i) => arrangeJob(sim, mix[i % mix.length], { clock: () => START, durationMs: JOB_MS }));
    await insertTrackedModels(owner.id, jobs.map((job) => job.id), { dueAt: new Date(START) });

    roundTrips = 0;
    const report = await runTrainingSync({ clock: () => new Date(START), ownerId: owner.id });
    const perBatch = roundTrips / report.batches;
    console.log(`10k sync: ${JSON.stringify(report)}; ${roundTrips} round trips, ${perBatch.toFixed(2)} per batch`);

    expect(report).toMatchObject({ claimed: MODELS, checked: MODELS, errors: 0, deferred: 0 });
    expect(report.completed).toBe(MODELS * 14 / 20);
    expect(report.failed).toBe(MODELS * 2 / 20);
    expect(report.advanced).toBe(MODELS * 18 / 20); // queued stays pending; running becomes training
    // A claim and a write-back, each one transaction of BEGIN, role, statement, COMMIT; the last,
    // empty claim that ends the run has no write-back.
    expect(roundTrips).toBeLessThanOrEqual(report.batches * 8);
  });
});
