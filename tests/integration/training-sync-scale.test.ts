import { createServer, type Server, type Socket, connect } from "node:net";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, database } from "../../shared/db/client.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { runTrainingSync } from "../../shared/sync/run-training-sync.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { adminSql, closeAdminSql, createUser, stack, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { arrangeJob, type ArrangedJobState, insertTrackedModels } from "../support/training-jobs.ts";

// 10,000 due models advanced by ONE run, counting the run's round trips to Postgres through a proxy
// that reads the wire protocol. Same isolation as training-sync.test.ts: a 2030 clock and a run
// scoped to this file's user.
const START = Date.UTC(2030, 6, 1);
const JOB_MS = 100_000;
const MODELS = 10_000;
const sim = createOpenAISimulator({ jobDurationMs: JOB_MS, now: () => START });
const server = setupServer(...sim.handlers);
let owner: TestUser;
let proxy: Server;
let roundTrips = 0;

/**
 * Forwards to the stack's Postgres, counting round trips: each time the client speaks after the
 * server has answered, it has waited one round trip. Messages it pipelines (sends before any answer)
 * ride along in the same one. This holds whatever the messages are, including postgres.js's
 * describe step before a parameterised statement when statements are not prepared.
 */
function countingProxy(target: URL): Promise<{ server: Server; port: number }> {
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

    // Open the pool's connection first: its start-up exchange is not the sync's work.
    await database()`select 1`;
    roundTrips = 0;
    const report = await runTrainingSync({ clock: () => new Date(START), ownerId: owner.id });
    const perBatch = roundTrips / report.batches;
    console.log(`10k sync: ${JSON.stringify(report)}; ${roundTrips} round trips, ${perBatch.toFixed(2)} per batch`);

    expect(report).toMatchObject({ claimed: MODELS, checked: MODELS, errors: 0, deferred: 0 });
    expect(report.completed).toBe(MODELS * 14 / 20);
    expect(report.failed).toBe(MODELS * 2 / 20);
    expect(report.advanced).toBe(MODELS * 18 / 20); // queued stays pending; running becomes training
    // Per batch: a claim and a write-back transaction, each BEGIN, the role switch pipelined with
    // the statement's describe step (postgres.js, unprepared), the statement, COMMIT: 8, whatever
    // the batch size. The last, empty claim that ends the run has no write-back.
    expect(roundTrips).toBeLessThanOrEqual(report.batches * 8);
  });
});
