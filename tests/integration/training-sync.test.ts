import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import trainingSync from "../../functions/training-sync/handler.ts";
import { withServiceTransaction } from "../../shared/db/client.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { planJobUpdate } from "../../shared/sync/apply-job-state.ts";
import { claimDueRuns } from "../../shared/sync/claim-due-runs.ts";
import { runTrainingSync, SYNC_LEASE_SECONDS } from "../../shared/sync/run-training-sync.ts";
import { writeJobStates } from "../../shared/sync/write-job-states.ts";
import { trainingProvider } from "../../shared/providers/registry.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { adminSql, createUser, serviceKey, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { ARRANGED_JOB_STATES, arrangeJob, type ArrangedJobState, insertTrackedModels } from "../support/training-jobs.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";
import { forgetTrainingRefusals } from "../support/training-access.ts";

// The scheduled sync in-process against the suite's own database and an in-process simulator, so
// neither the stack's own cron nor another suite's models are in its way. The sync runs on a clock
// that starts after the database's clock and moves only when a test moves it.
// The clock only times the sync's rows; shutdowns are judged on the suites' pinned day (today()).
const START = Date.UTC(2027, 0, 1, 0, 0, 0);
const JOB_MS = 100_000;
let clock = START;
const now = () => new Date(clock);
const sim = createOpenAISimulator({ jobDurationMs: JOB_MS, now: () => clock });
const server = setupServer(...sim.handlers);
let owner: TestUser;

const sync = (options: Parameters<typeof runTrainingSync>[0] = {}) =>
  runTrainingSync({ clock: now, ...options });

/** Arranges one job per state (cycling through `states`) and a due model for each. */
async function arrange(count: number, states: readonly ArrangedJobState[] = ARRANGED_JOB_STATES) {
  const jobs = Array.from({ length: count }, (_, i) =>
    arrangeJob(sim, states[i % states.length], { clock: () => clock, durationMs: JOB_MS }));
  const ids = await insertTrackedModels(owner.id, jobs.map((job) => job.id), { dueAt: now() });
  return { jobs, ids };
}

async function statusCounts(): Promise<Record<string, number>> {
  const rows = await adminSql()<{ status: string; count: number }[]>`
    select status, count(*)::int as count from private.fine_tuned_models group by status`;
  return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}

function retrievesPerJob(): Map<string, number> {
  const counts = new Map<string, number>();
  server.events.on("request:start", ({ request }) => {
    const match = new URL(request.url).pathname.match(/\/fine_tuning\/jobs\/(ftjob-[^/]+)$/);
    if (match && request.method === "GET") counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
  });
  return counts;
}

useSuiteDatabase();
beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  useStackEnvironment();
  resetOpenAI();
  owner = await createUser("sync");
});
afterAll(async () => {
  server.close();
});
beforeEach(async () => {
  sim.reset();
  server.events.removeAllListeners();
  clock = START;
  await adminSql()`delete from private.fine_tuned_models`;
  await forgetTrainingRefusals();
});

describe("training sync", () => {
  it("advances 1,000 due models over a few runs, mapping every provider status", { timeout: 120_000 }, async () => {
    await arrange(1000);
    // 1000 = 143 x 6 states + 142 x "paused"; validating_files and queued both map to pending.
    const first = await sync({ batchSize: 150, maxModels: 400 });
    const second = await sync({ batchSize: 150, maxModels: 400 });
    const third = await sync({ batchSize: 150 });
    const idle = await sync();
    expect([first.claimed, second.claimed, third.claimed, idle.claimed]).toEqual([400, 400, 200, 0]);
    expect(first.batches).toBe(3);
    expect(first.checked + second.checked + third.checked).toBe(1000);
    expect(first.errors + second.errors + third.errors).toBe(0);
    expect(await statusCounts()).toEqual({ pending: 143 * 2 + 142, training: 143, completed: 143, failed: 286 });

    const [completed] = await adminSql()`
      select m.openai_model_id, m.training_tokens, m.training_completed_at, r.lease_expires_at, r.progress
      from private.fine_tuned_models m join public.training_runs r on r.model_id = m.id
      where m.status = 'completed' limit 1`;
    expect(completed.openai_model_id).toMatch(/^ft:gpt-4\.1-mini/);
    expect(completed.training_tokens).toBe(3000);
    expect(completed.training_completed_at.getTime()).toBe(START);
    expect(completed.lease_expires_at).toBeNull();
    expect(completed.progress).toMatchObject({ providerStatus: "succeeded", percent: 100 });

    const failures = await adminSql()<{ error: string }[]>`
      select distinct error from private.fine_tuned_models where status = 'failed'`;
    expect(failures.map((row) => row.error).sort()).toEqual([
      "The fine-tuning job was cancelled at the provider.",
      "invalid_training_file: Training data was rejected.",
    ]);
    const [running] = await adminSql()`
      select r.progress, r.next_check_at from public.training_runs r where r.status = 'training' limit 1`;
    expect(running.progress).toMatchObject({ providerStatus: "running", step: expect.any(Number), totalSteps: 20 });
    expect(running.next_check_at.getTime()).toBe(START + 30_000);

    // Every job that was still going has finished ten minutes later, except the one in a state we
    // do not know, which is kept as it was.
    clock = START + 601_000;
    const last = await sync();
    expect(last).toMatchObject({ claimed: 143 * 3 + 142, advanced: 143 * 3, completed: 143 * 3, errors: 0 });
    expect(await statusCounts()).toEqual({ pending: 142, completed: 143 * 4, failed: 286 });
  });

  it("lets overlapping runs claim disjoint models, so each job is read once", async () => {
    await arrange(600, ["succeeded"]);
    const retrieves = retrievesPerJob();
    const reports = await Promise.all([sync({ batchSize: 50 }), sync({ batchSize: 50 }), sync({ batchSize: 50 })]);
    expect(reports.reduce((sum, report) => sum + report.claimed, 0)).toBe(600);
    expect(reports.reduce((sum, report) => sum + report.completed, 0)).toBe(600);
    expect(retrieves.size).toBe(600);
    expect([...retrieves.values()].every((count) => count === 1)).toBe(true);
  });

  it("skips rows another claim holds locked, instead of waiting for them", async () => {
    await arrange(300, ["queued"]);
    let inner: string[] = [];
    const outer = await adminSql().begin(async (tx) => {
      const held = await claimDueRuns(tx as never, { now: now(), limit: 200, leaseSeconds: 60, creationHoldSeconds: 60 });
      // The first claim has not committed: its rows are locked, not yet leased.
      inner = (await withServiceTransaction((other) =>
        claimDueRuns(other, { now: now(), limit: 300, leaseSeconds: 60, creationHoldSeconds: 60 })
      )).map((row) => row.id);
      return held.map((row) => row.id);
    });
    expect(outer).toHaveLength(200);
    expect(inner).toHaveLength(100);
    expect(new Set([...outer, ...inner]).size).toBe(300);
  });

  it("picks up a killed run's models once its lease expires, and ignores that run's late write", async () => {
    const { ids } = await arrange(20, ["succeeded"]);
    const killed = await withServiceTransaction((tx) =>
      claimDueRuns(tx, { now: now(), limit: 100, leaseSeconds: SYNC_LEASE_SECONDS, creationHoldSeconds: 300 })
    );
    expect(killed).toHaveLength(20);
    expect((await sync()).claimed).toBe(0);

    clock += (SYNC_LEASE_SECONDS + 1) * 1000;
    expect(await sync()).toMatchObject({ claimed: 20, completed: 20 });

    // The dead run wakes up and writes what it would have written: nothing lands.
    const stale = await Promise.all(killed.map(async (model) =>
      planJobUpdate(model, await trainingProvider().getJob(model.provider_job_id!), new Date(START))
    ));
    expect(await withServiceTransaction((tx) => writeJobStates(tx, stale))).toEqual([]);
    const rows = await adminSql()`
      select distinct training_completed_at from private.fine_tuned_models where id = any(${ids}::uuid[])`;
    expect(rows.map((row) => row.training_completed_at.getTime())).toEqual([clock]);
  });

  it("fences a write by the lease: a run that outlived its lease changes nothing", async () => {
    const { ids } = await arrange(5, ["queued"]);
    const claim = () =>
      withServiceTransaction((tx) =>
        claimDueRuns(tx, { now: now(), limit: 100, leaseSeconds: 60, creationHoldSeconds: 60 })
      );
    const late = await claim();
    clock += 61_000;
    const current = await claim();
    expect(current.map((run) => run.model_id).sort()).toEqual([...ids].sort());

    const plan = (claimed: typeof late) =>
      Promise.all(claimed.map(async (model) => planJobUpdate(model, await trainingProvider().getJob(model.provider_job_id!), now())));
    expect(await withServiceTransaction(async (tx) => writeJobStates(tx, await plan(late)))).toEqual([]);
    expect(await withServiceTransaction(async (tx) => writeJobStates(tx, await plan(current)))).toHaveLength(5);
  });

  it("resumes a creation that died before its job existed, starting exactly one job", async () => {
    const [modelId] = await insertTrackedModels(owner.id, [null], { dueAt: now() });
    await adminSql()`update private.fine_tuned_models set quick_tune = true, book_info = ${{ title: "Engines" } as never} where id = ${modelId}`;
    const reports = await Promise.all([sync(), sync()]);
    expect(reports.reduce((sum, report) => sum + report.resumed, 0)).toBe(1);
    const jobs = [...sim.jobs.values()].filter((job) => job.metadata?.storyvoice_model_id === modelId);
    expect(jobs).toHaveLength(1);
    const [row] = await adminSql()`select status, openai_job_id from private.fine_tuned_models where id = ${modelId}`;
    expect(row.openai_job_id).toBe(jobs[0].id);
  });

  it("puts a model in persona mode when the provider refuses fine-tuning", async () => {
    sim.refuseFineTuning();
    const [modelId] = await insertTrackedModels(owner.id, [null], { dueAt: now() });
    await adminSql()`update private.fine_tuned_models set quick_tune = true where id = ${modelId}`;
    expect(await sync()).toMatchObject({ resumed: 1, errors: 0 });
    const [row] = await adminSql()`select status, error from private.fine_tuned_models where id = ${modelId}`;
    expect(row.status).toBe("ready");
    expect(row.error).toMatch(/^Fine-tuning at OpenAI is not available to this organisation/);
    expect(sim.jobs.size).toBe(0);
  });

  it("backs off a job that has sat in one state for hours, and gives up on one silent for two days", async () => {
    const queued = arrangeJob(sim, "queued", { clock: () => clock, durationMs: 10 * 86_400_000 });
    const silent = arrangeJob(sim, "queued", { clock: () => clock, durationMs: 10 * 86_400_000 });
    const [queuedId] = await insertTrackedModels(owner.id, [queued.id], { dueAt: now(), trainingStartedAt: new Date(START - 3 * 3_600_000) });
    const [silentId] = await insertTrackedModels(owner.id, [silent.id], { dueAt: now() });
    const longAgo = new Date(START - 49 * 3_600_000).toISOString();
    const progress = { providerStatus: "queued", step: null, totalSteps: null, statusSince: longAgo, lastChangeAt: longAgo };
    await adminSql()`update public.training_runs set progress = ${progress as never} where model_id = ${silentId}`;

    expect(await sync()).toMatchObject({ claimed: 2, failed: 1 });
    const rows = await adminSql()`
      select m.id, m.status, m.error, r.next_check_at
      from private.fine_tuned_models m join public.training_runs r on r.model_id = m.id
      where m.id in (${queuedId}, ${silentId})`;
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    expect(byId[queuedId]).toMatchObject({ status: "pending", next_check_at: new Date(START + 600_000) });
    expect(byId[silentId].status).toBe("failed");
    expect(byId[silentId].error).toMatch(/no progress for 48 hours/);
    expect(sim.jobs.get(silent.id)!.status).toBe("cancelled");
  });
});

describe("training-sync endpoint", () => {
  const call = (handler: (request: Request) => Promise<Response>, headers: Record<string, string> = {}) =>
    handler(new Request("http://localhost/training-sync", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: "{}",
    }));

  it("answers 401 without credentials and 403 for a user's token", async () => {
    expect((await call(trainingSync)).status).toBe(401);
    expect((await call(trainingSync, { Authorization: `Bearer ${owner.token}` })).status).toBe(403);
  });

  it("answers 207 when the provider rate-limits some models, retries them later and advances the rest", async () => {
    // The endpoint runs on the real clock, as the cron calls it.
    clock = Date.now();
    const { jobs, ids } = await arrange(12, ["succeeded"]);
    for (const job of jobs.slice(0, 3)) {
      sim.inject({ method: "GET", path: `/v1/fine_tuning/jobs/${job.id}`, kind: "status", status: 429 });
    }
    const first = await call(trainingSync, { apikey: serviceKey });
    expect(first.status).toBe(207);
    expect(await first.json()).toMatchObject({ success: false, claimed: 12, completed: 9, errors: 3 });
    const limited = await adminSql()<{ status: string; attempts: number; next_check_at: Date }[]>`
      select m.status, r.attempts, r.next_check_at
      from private.fine_tuned_models m join public.training_runs r on r.model_id = m.id
      where m.id = any(${ids.slice(0, 3)}::uuid[])`;
    expect(limited.map(({ status, attempts }) => ({ status, attempts }))).toEqual(Array(3).fill({ status: "pending", attempts: 1 }));
    for (const { next_check_at } of limited) expect(next_check_at.getTime()).toBeGreaterThan(Date.now() + 20_000);

    await adminSql()`update public.training_runs set next_check_at = now() where status = 'pending'`;
    const second = await call(trainingSync, { apikey: serviceKey });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ success: true, claimed: 3, completed: 3, errors: 0 });
  });
});
