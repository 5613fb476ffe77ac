import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onDatabase } from "../../shared/db/client.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { runTrainingSync, SYNC_BATCH_SIZE } from "../../shared/sync/run-training-sync.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { adminSql, createUser, databaseUrl, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { type CountingProxy, countingProxy, throughProxy } from "../support/counting-proxy.ts";
import { arrangeJob, type ArrangedJobState, insertTrackedModels } from "../support/training-jobs.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// Due models advanced by ONE run, counting the run's round trips to Postgres through a proxy that
// reads the wire protocol, on the suite's own database (like training-sync.test.ts). 1,000 models
// (five full batches) show the round trips do not grow with the batch; `npm run bench:sync` runs the
// same suite at 10,000 (STORYVOICE_SYNC_SCALE_MODELS) for the figure in docs/benchmarks.md.
const START = Date.UTC(2030, 6, 1);
const JOB_MS = 100_000;
const MODELS = Number(process.env.STORYVOICE_SYNC_SCALE_MODELS) || 1_000;
const PER_BATCH_ROUND_TRIPS = 8;
// What one run does once, whatever its size, with the catalogue already fresh (12 seen).
const PER_RUN_ROUND_TRIPS = 16;
const sim = createOpenAISimulator({ jobDurationMs: JOB_MS, now: () => START });
const server = setupServer(...sim.handlers);
let owner: TestUser;
let proxy: CountingProxy;

useSuiteDatabase();
beforeAll(async () => {
  proxy = await countingProxy(new URL(databaseUrl()));
  server.listen({ onUnhandledRequest: "error" });
  useStackEnvironment({ SUPABASE_DB_URL: throughProxy(databaseUrl(), proxy) });
  resetOpenAI();
  owner = await createUser("sync-scale");
});
afterAll(async () => {
  server.close();
  proxy.server.close();
});

/** Arranges `count` due models in the usual backlog mix, runs one sync, and counts its round trips. */
async function syncOf(count: number) {
  // Mostly finished jobs (what a backlog looks like), some still queued or running.
  const mix: ArrangedJobState[] = [
    ...Array<ArrangedJobState>(14).fill("succeeded"), "failed", "cancelled", "queued", "queued", "running", "running",
  ];
  const jobs = Array.from({ length: count }, (_, i) => arrangeJob(sim, mix[i % mix.length], { clock: () => START, durationMs: JOB_MS }));
  await insertTrackedModels(owner.id, jobs.map((job) => job.id), { dueAt: new Date(START) });

  // Open the pool's connection first: its start-up exchange is not the sync's work.
  await onDatabase((sql) => sql`select 1`);
  proxy.reset();
  // Speed is the benchmark's to judge, not this test's: the run gets whatever time a busy machine
  // needs (the 50 s production budget would cut it short), so what is asserted is the work and its round trips.
  const report = await runTrainingSync({ clock: () => new Date(START), timeBudgetMs: 540_000 });
  const roundTrips = proxy.roundTrips();
  console.log(`sync of ${count} models: ${JSON.stringify(report)}; ${roundTrips} round trips`);

  expect(report).toMatchObject({ claimed: count, checked: count, errors: 0, deferred: 0 });
  expect(report.completed).toBe(count * 14 / 20);
  expect(report.failed).toBe(count * 2 / 20);
  expect(report.advanced).toBe(count * 18 / 20); // queued stays pending; running becomes training
  return { batches: report.batches, roundTrips };
}

describe("training sync at scale", () => {
  it(`advances ${MODELS.toLocaleString("en")} due models in one run with a constant number of round trips per batch`, { timeout: 600_000 }, async () => {
    // A first run refreshes the model catalogue; the two measured runs below find it fresh alike.
    await syncOf(20);
    const one = await syncOf(SYNC_BATCH_SIZE);
    const many = await syncOf(MODELS);
    expect(many.batches).toBe(MODELS / SYNC_BATCH_SIZE + 1);

    // Per batch: a claim and a write-back transaction, each at most BEGIN, the role switch pipelined
    // with the statement's describe step (postgres.js, unprepared), the statement, COMMIT: at most 8
    // (6 seen), whatever the batch size; one more model per round trip would be hundreds here. What
    // a run does once (the catalogue's check, the queue's heads, leftovers, hosting, spend alerts)
    // stays bounded.
    expect(many.roundTrips - one.roundTrips).toBeLessThanOrEqual((many.batches - one.batches) * PER_BATCH_ROUND_TRIPS);
    expect(one.roundTrips).toBeLessThanOrEqual(one.batches * PER_BATCH_ROUND_TRIPS + PER_RUN_ROUND_TRIPS);
  });
});
