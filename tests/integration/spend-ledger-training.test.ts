import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { runTrainingSync } from "../../shared/sync/run-training-sync.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { adminSql, createUser, useStackEnvironment } from "../support/stack.ts";
import { arrangeJob, insertTrackedModels } from "../support/training-jobs.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// Trained tokens in the spend ledger through the real sync: each job the simulator completed is
// billed once, for the persona's owner, with the tokens the simulator says it trained, also when
// the provider failed some reads and the sync ran again; failed and cancelled jobs bill nothing.

const START = Date.UTC(2027, 0, 1, 0, 0, 0);
const JOB_MS = 100_000;
let clock = START;
const sim = createOpenAISimulator({ jobDurationMs: JOB_MS, now: () => clock });
const server = setupServer(...sim.handlers);

useSuiteDatabase();
beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  useStackEnvironment();
  resetOpenAI();
});
afterAll(() => server.close());

describe("spend ledger: training", () => {
  it("bills each completed job's trained tokens once, across provider faults and repeated syncs", async () => {
    const owner = await createUser("ledger-sync");
    const states = ["running", "running", "succeeded", "failed", "cancelled", "queued"] as const;
    const jobs = states.map((state) => arrangeJob(sim, state, { clock: () => clock, durationMs: JOB_MS }));
    const ids = await insertTrackedModels(owner.id, jobs.map((job) => job.id), { dueAt: new Date(clock) });
    await adminSql()`update public.training_runs set base_model = 'gpt-4.1-mini-2025-04-14' where model_id in ${adminSql()(ids)}`;

    // The provider fails some reads: those runs are checked again later.
    sim.inject({ method: "GET", path: /\/v1\/fine_tuning\/jobs\/ftjob-/, kind: "status", status: 500, times: 2 });
    await runTrainingSync({ clock: () => new Date(clock) });
    for (const step of [1, 2, 3]) {
      clock = START + step * 601_000;
      await runTrainingSync({ clock: () => new Date(clock) });
    }
    await runTrainingSync({ clock: () => new Date(clock) });

    const succeeded = jobs.filter((job) => job.status === "succeeded");
    expect(succeeded).toHaveLength(4);
    const rows = await adminSql()<{ model_id: string; user_id: string; requests: number; trained_tokens: string; cost_usd: string }[]>`
      select model_id, user_id, requests, trained_tokens, cost_usd from private.spend_ledger
      where kind = 'training' and model_id in ${adminSql()(ids)}`;
    expect(rows).toHaveLength(4);
    for (const job of succeeded) {
      const row = rows.find((candidate) => candidate.model_id === ids[jobs.indexOf(job)])!;
      expect(row).toMatchObject({ user_id: owner.id, requests: 1, trained_tokens: String(job.trained_tokens) });
      // gpt-4.1-mini: $5 per 1M trained tokens.
      expect(Number(row.cost_usd)).toBeCloseTo((job.trained_tokens! * 5) / 1e6, 6);
    }
  });
});
