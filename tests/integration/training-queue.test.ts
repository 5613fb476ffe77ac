import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import createQuick from "../../functions/fine-tune-quick/handler.ts";
import status from "../../functions/fine-tune-status/handler.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { runTrainingSync } from "../../shared/sync/run-training-sync.ts";
import { applyJobEvent } from "../../shared/sync/apply-job-event.ts";
import { createOpenAISimulator, failOnUnhandledRequest } from "../../supabase/local/openai-simulator/simulator.ts";
import { bookId, call, quick } from "../support/create-model-harness.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";
import { waitFor } from "../support/wait.ts";

// The fair training queue in-process: creates through the handler, the training sync driven by
// hand on a clock the simulator shares, and the simulator enforcing OpenAI's active-job limit and
// recording the most jobs it ever had active at once.
const JOB_MS = 100_000;
let clock = Date.now();
const sim = createOpenAISimulator({ jobDurationMs: JOB_MS, now: () => clock });
const server = setupServer(...sim.handlers);

useSuiteDatabase();
beforeAll(() => server.listen({ onUnhandledRequest: failOnUnhandledRequest }));
afterAll(() => server.close());
beforeEach(async () => {
  sim.reset();
  clock = Date.now();
  await adminSql()`delete from private.fine_tuned_models`;
});

function configure(maxActive: number, settings: Record<string, string> = {}) {
  useStackEnvironment({
    TRAINING_MAX_ACTIVE_JOBS: String(maxActive),
    MODEL_CREATE_DAILY_QUOTA: "100",
    TRAININGS_IN_FLIGHT_PER_USER: "5",
    ...settings,
  });
  resetOpenAI();
}

async function createModels(users: TestUser[], perUser: number): Promise<string[]> {
  const answers = await Promise.all(users.flatMap((user, u) =>
    Array.from({ length: perUser }, (_, i) =>
      call(createQuick, "fine-tune-quick", {
        token: user.token,
        body: { ...quick, entityName: `Keeper ${u}-${i}`, bookId: bookId() },
      }))
  ));
  expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 202));
  return answers.map((answer) => answer.json.model.id as string);
}

interface RunState {
  model_id: string;
  status: string;
  provider_job_id: string | null;
  queued_at: Date | null;
  slot_taken_at: Date | null;
  attempts: number;
  error: string | null;
}

const runs = () =>
  adminSql()<RunState[]>`
    select model_id, status, provider_job_id, queued_at, slot_taken_at, attempts, error from public.training_runs`;

/** Waits until no creation worker holds a run: each has its job, or waits in the queue. */
function preparationsSettled(count: number) {
  return waitFor(async () => {
    const rows = await adminSql()<{ settled: number }[]>`
      select count(*)::int as settled from public.training_runs
      where lease_expires_at is null and (provider_job_id is not null or queued_at is not null or status <> 'pending')`;
    return rows[0].settled === count ? true : undefined;
  }, { timeoutMs: 20_000, intervalMs: 50, description: "every creation to start its job or wait" });
}

const activeAtSimulator = () => [...sim.jobs.values()].filter((job) => !["succeeded", "failed", "cancelled"].includes(job.status)).length;

describe("the training queue", () => {
  it("20 models with TRAINING_MAX_ACTIVE_JOBS=3: never more than 3 active jobs, FIFO positions in status, all complete", async () => {
    configure(3);
    sim.limitActiveJobs(3);
    const users = await Promise.all(Array.from({ length: 4 }, (_, i) => createUser(`queue-${i}`)));
    const owners = new Map<string, TestUser>();
    const ids = await createModels(users, 5);
    ids.forEach((id, index) => owners.set(id, users[Math.floor(index / 5)]));
    await preparationsSettled(20);

    let rows = await runs();
    expect(rows.filter((row) => row.provider_job_id !== null)).toHaveLength(3);
    const waiting = rows.filter((row) => row.provider_job_id === null);
    expect(waiting).toHaveLength(17);
    expect(waiting.every((row) => row.status === "pending" && row.queued_at !== null && row.error === null)).toBe(true);

    // Status shows each waiting model's place: 1..17 in the order they queued, with an estimate.
    const places = await Promise.all(waiting.map(async (row) => {
      const answer = await call(status, `fine-tune-status/${row.model_id}`, { token: owners.get(row.model_id)!.token, method: "GET" });
      expect(answer.status).toBe(200);
      expect(answer.json.status).toBe("pending");
      return { queuedAt: row.queued_at!.getTime(), ...answer.json.queue };
    }));
    expect(places.map((place) => place.position).sort((a, b) => a - b)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    const byPosition = [...places].sort((a, b) => a.position - b.position);
    expect(byPosition.map((place) => place.queuedAt)).toEqual([...byPosition.map((place) => place.queuedAt)].sort((a, b) => a - b));
    expect(byPosition[0]).toMatchObject({ activeJobs: 3, maxActiveJobs: 3 });
    expect(Date.parse(byPosition[16].estimatedStartAt)).toBeGreaterThan(Date.parse(byPosition[0].estimatedStartAt));
    // Another user sees no queue of someone else's model (nor its run).
    const stranger = await createUser("queue-stranger");
    await adminSql()`update private.fine_tuned_models set is_public = true where id = ${waiting[0].model_id}`;
    const foreign = await call(status, `fine-tune-status/${waiting[0].model_id}`, { token: stranger.token, method: "GET" });
    expect(foreign.json.queue).toBeNull();

    // Drive the sync: each round the finished jobs free their slots and the queue's heads start.
    let peakSeen = activeAtSimulator();
    for (let round = 0; round < 12; round++) {
      clock += JOB_MS + 60_000;
      const report = await runTrainingSync({ clock: () => new Date(clock) });
      peakSeen = Math.max(peakSeen, activeAtSimulator());
      expect(report.queue.started).toBeLessThanOrEqual(3);
      rows = await runs();
      if (rows.every((row) => row.status === "completed")) break;
    }
    expect(rows.map((row) => row.status)).toEqual(rows.map(() => "completed"));
    expect(sim.jobs.size).toBe(20);
    // The simulator's own record: never more than 3 at once, and never a create over its limit.
    expect(sim.activeJobs).toEqual({ peak: 3, refused: 0 });
    expect(peakSeen).toBeLessThanOrEqual(3);
    // Never two jobs for one run.
    const perModel = new Map<string, number>();
    for (const job of sim.jobs.values()) {
      const model = job.metadata?.storyvoice_model_id ?? "";
      perModel.set(model, (perModel.get(model) ?? 0) + 1);
    }
    expect([...perModel.values()].every((count) => count === 1)).toBe(true);
  });

  it("a provider 429 'too many jobs' is back-pressure: the run waits at the head of the queue, and starts later", async () => {
    configure(3);
    // The organisation has room for only 2 (another deployment holds the third, say).
    sim.limitActiveJobs(2);
    const user = await createUser("queue-pushback");
    const ids = await createModels([user], 4);
    await preparationsSettled(4);

    let rows = await runs();
    expect(rows.filter((row) => row.provider_job_id !== null)).toHaveLength(2);
    expect(sim.activeJobs.refused).toBeGreaterThanOrEqual(1);
    const pushedBack = rows.filter((row) => row.provider_job_id === null);
    expect(pushedBack).toHaveLength(2);
    // Not failed, no attempt counted, no slot held: waiting.
    expect(pushedBack.every((row) => row.status === "pending" && row.attempts === 0 && row.slot_taken_at === null && row.queued_at)).toBe(true);

    for (let round = 0; round < 6; round++) {
      clock += JOB_MS + 60_000;
      await runTrainingSync({ clock: () => new Date(clock) });
      rows = await runs();
      if (rows.every((row) => row.status === "completed")) break;
    }
    expect(rows.map((row) => row.status)).toEqual(ids.map(() => "completed"));
    expect(sim.activeJobs.peak).toBe(2);
  });

  it("a job that ends by webhook starts the queue's head at once, without waiting for the sync", async () => {
    configure(1);
    sim.limitActiveJobs(1);
    const user = await createUser("queue-webhook");
    await createModels([user], 2);
    await preparationsSettled(2);
    const [first] = [...sim.jobs.values()];
    expect(sim.jobs.size).toBe(1);

    clock += JOB_MS + 1_000;
    const outcome = await applyJobEvent("openai", first.id, () => new Date(clock));
    expect(outcome.advanced).toBe(1);
    await waitFor(async () => (sim.jobs.size === 2 ? true : undefined), { timeoutMs: 10_000, intervalMs: 50, description: "the head to start" });
    await preparationsSettled(2);
    const rows = await runs();
    expect(rows.map((row) => row.status).sort()).toEqual(["completed", "pending"]);
    expect(rows.every((row) => row.provider_job_id !== null)).toBe(true);
    expect(sim.activeJobs).toEqual({ peak: 1, refused: 0 });
  });

  it("past DAILY_SPEND_LIMIT_USD new trainings wait in the queue with their place, and start once the limit allows", async () => {
    const user = await createUser("queue-spend");
    // Today's spend already past the limit: a chat the ledger priced at a dollar.
    const [model] = await adminSql()<{ id: string }[]>`
      insert into private.fine_tuned_models (name, type, entity_name, book_id, status, created_by)
      values ('Spender', 'author', 'Spender', ${bookId()}, 'ready', ${user.id}) returning id`;
    await adminSql()`
      insert into private.spend_ledger (day, user_id, model_id, kind, provider, billed_model, requests, cost_usd)
      values ((now() at time zone 'utc')::date, ${user.id}, ${model.id}, 'chat', 'openai', 'gpt-4.1-mini-2025-04-14', 1, 1)`;
    const spent = (await adminSql()<{ usd: number }[]>`select private.deployment_spend_today()::float8 as usd`)[0].usd;
    configure(3, { DAILY_SPEND_LIMIT_USD: String(spent) });

    const [id] = await createModels([user], 1);
    await preparationsSettled(2);
    const [run] = (await runs()).filter((row) => row.model_id === id);
    expect(run).toMatchObject({ status: "pending", provider_job_id: null, slot_taken_at: null, error: null });
    expect(run.queued_at).not.toBeNull();
    expect(sim.jobs.size).toBe(0);
    const answer = await call(status, `fine-tune-status/${id}`, { token: user.token, method: "GET" });
    expect(answer.json.queue).toMatchObject({ position: 1 });
    // Still held on the next sync.
    await runTrainingSync({ clock: () => new Date(clock) });
    expect(sim.jobs.size).toBe(0);

    // The limit raised (or a new UTC day): the next sync starts it.
    configure(3, { DAILY_SPEND_LIMIT_USD: String(spent * 100) });
    const report = await runTrainingSync({ clock: () => new Date(clock) });
    expect(report.queue.started).toBe(1);
    expect(sim.jobs.size).toBe(1);
  });
});
