import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_SECRET_KEY, signLocalToken } from "../../supabase/local/dev-keys.ts";
import { type OwnStack, startOwnStack } from "../support/own-stack.ts";
import { waitFor } from "../support/wait.ts";

// The training queue on a stack of its own, configured as a deployment would be: the functions
// with TRAINING_MAX_ACTIVE_JOBS=3, the simulator with OpenAI's limit of 3 active jobs
// (OPENAI_SIMULATOR_MAX_ACTIVE_JOBS). 20 models over HTTP from 4 readers; the sync is driven by
// hand (besides the stack's own minute schedule); the simulator's own record is the judge.

let own: OwnStack;
let sql: postgres.Sql;

beforeAll(async () => {
  own = await startOwnStack({
    TRAINING_MAX_ACTIVE_JOBS: "3",
    OPENAI_SIMULATOR_MAX_ACTIVE_JOBS: "3",
    OPENAI_SIMULATOR_JOB_SECONDS: "2",
    MODEL_CREATE_DAILY_QUOTA: "10",
    TRAININGS_IN_FLIGHT_PER_USER: "5",
  });
  sql = postgres(own.databaseUrl, { max: 2, onnotice: () => {} });
}, 180_000);
afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await own?.stop();
}, 60_000);

async function reader(label: string) {
  const email = `${label}-${crypto.randomUUID()}@example.test`;
  const [row] = await sql<{ id: string }[]>`insert into auth.users (email) values (${email}) returning id`;
  return { id: row.id, token: await signLocalToken({ sub: row.id, role: "authenticated", email }) };
}

async function call(path: string, init: { token?: string; body?: unknown; service?: boolean } = {}) {
  const headers: Record<string, string> = {};
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.service) headers.apikey = LOCAL_SECRET_KEY;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${own.functionsUrl}/${path}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, json: await response.json() as any };
}

async function simulatorRecord(): Promise<{ jobs: { status: string }[]; activeJobs: { peak: number; refused: number } }> {
  const response = await fetch(`${own.simulatorUrl}/__simulator/state`, { signal: AbortSignal.timeout(5_000) });
  return await response.json();
}

describe("the training queue on its own stack", () => {
  it("20 models with TRAINING_MAX_ACTIVE_JOBS=3: never more than 3 active at the simulator, positions while waiting, all complete", { timeout: 240_000 }, async () => {
    const readers = await Promise.all(Array.from({ length: 4 }, (_, i) => reader(`stack-queue-${i}`)));
    const created = await Promise.all(readers.flatMap((user, u) =>
      Array.from({ length: 5 }, async (_, i) => {
        const answer = await call("fine-tune-quick", {
          token: user.token,
          body: {
            type: "character",
            entityName: `Pilot ${u}-${i}`,
            description: "A ferry pilot who knows every rock of the sound by its sound.",
            bookId: `book-${crypto.randomUUID()}`,
            bookInfo: { title: "The Sound", author: "Maren Hale", description: "A ferry, a fog, a missing bell." },
          },
        });
        expect(answer.status).toBe(202);
        return { id: answer.json.model.id as string, token: user.token };
      })
    ));

    // Once every creation has prepared, 3 have jobs and the other 17 wait, each with its place.
    let positions: number[] = [];
    await waitFor(async () => {
      const statuses = await Promise.all(created.map((model) => call(`fine-tune-status/${model.id}`, { token: model.token })));
      positions = statuses.map((answer) => answer.json.queue?.position).filter((position): position is number => typeof position === "number");
      const withJob = statuses.filter((answer) => answer.json.model.openai_job_id !== null).length;
      return positions.length + withJob === 20 && positions.length > 0;
    }, { timeoutMs: 50_000, intervalMs: 250, description: "every creation to have a job or a place" });
    expect(positions.length).toBeGreaterThanOrEqual(14);
    expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: positions.length }, (_, i) => i + 1));

    let peakSeen = 0;
    await waitFor(async () => {
      const record = await simulatorRecord();
      peakSeen = Math.max(peakSeen, record.jobs.filter((job) => !["succeeded", "failed", "cancelled"].includes(job.status)).length);
      const [{ completed }] = await sql<{ completed: number }[]>`
        select count(*)::int as completed from private.fine_tuned_models
        where status = 'completed' and id = any(${created.map((model) => model.id)}::uuid[])`;
      if (completed === 20) return true;
      // The sync checks a job 30 s after it started and backs off from there; these jobs take 2 s,
      // so the test makes the jobs due at once instead of waiting, as the in-process suite moves its clock.
      await sql`
        update public.training_runs set next_check_at = now()
        where provider_job_id is not null and status in ('pending', 'training') and next_check_at > now()`;
      const sync = await call("training-sync", { service: true, body: {} });
      expect([200, 207]).toContain(sync.status);
      return false;
    }, { timeoutMs: 90_000, intervalMs: 500, description: "the 20 models to complete" });
    const models = await sql<{ status: string }[]>`
      select status from private.fine_tuned_models where id = any(${created.map((model) => model.id)}::uuid[])`;
    expect(models.map((model) => model.status)).toEqual(models.map(() => "completed"));
    expect(models).toHaveLength(20);
    const record = await simulatorRecord();
    expect(record.jobs).toHaveLength(20);
    expect(record.activeJobs.peak).toBeLessThanOrEqual(3);
    expect(record.activeJobs.refused).toBe(0);
    expect(peakSeen).toBeLessThanOrEqual(3);
  });
});
