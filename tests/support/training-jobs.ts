import { createJobRecord } from "../../supabase/local/openai-simulator/job-timeline.ts";
import { randomId } from "../../supabase/local/openai-simulator/responses.ts";
import type { JobOutcome, SimJob } from "../../supabase/local/openai-simulator/state.ts";
import type { OpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { adminSql } from "./stack.ts";

/** Where a simulated job should stand at the simulator's current time; `paused` is a state we never heard of. */
export type ArrangedJobState = "validating_files" | "queued" | "running" | "succeeded" | "failed" | "cancelled" | "paused";

/** Every arrangeable state, for tests that cover them all. */
export const ARRANGED_JOB_STATES: readonly ArrangedJobState[] = [
  "validating_files", "queued", "running", "succeeded", "failed", "cancelled", "paused",
];

// A job runs validating_files (first 10% of its duration), queued (to 30%), running (to 100%).
const START_FRACTION: Record<ArrangedJobState, number> = {
  validating_files: 0.05, queued: 0.2, running: 0.5, succeeded: 2, failed: 2, cancelled: 2, paused: 0.5,
};

/**
 * Puts a job straight into the simulator's state, standing in `state` now by `clock` (the clock the
 * simulator was created with), without uploading a file or creating it over the API: arranging
 * thousands stays cheap. The job then moves on with that clock.
 */
export function arrangeJob(sim: OpenAISimulator, state: ArrangedJobState, options: {
  clock: () => number;
  durationMs: number;
  modelId?: string;
}): SimJob {
  const outcome: JobOutcome = state === "failed"
    ? { status: "failed", atFraction: 1, error: { code: "invalid_training_file", param: null, message: "Training data was rejected." } }
    : state === "cancelled"
    ? { status: "cancelled", atFraction: 1 }
    : { status: "succeeded", atFraction: 1 };
  const id = randomId("ftjob-", 24);
  const createdAtMs = options.clock() - START_FRACTION[state] * options.durationMs;
  const hyperparameters = { n_epochs: 2, batch_size: "auto" as const, learning_rate_multiplier: "auto" as const };
  const job = createJobRecord({
    id,
    model: "gpt-4.1-mini-2025-04-14",
    training_file: `file-${id.slice(6)}`,
    validation_file: null,
    suffix: "sv-test",
    metadata: options.modelId ? { storyvoice_model_id: options.modelId } : null,
    created_at: Math.floor(createdAtMs / 1000),
    hyperparameters,
    method: { type: "supervised", supervised: { hyperparameters } },
    schedule: {
      createdAtMs,
      durationMs: options.durationMs,
      outcome,
      cancelledAtMs: null,
      exampleCount: 10,
      epochs: 2,
      tokensPerEpoch: 1500,
      modelName: `ft:gpt-4.1-mini-2025-04-14:storyvoice-sim:sv-test:${id.slice(6, 14)}`,
      settled: false,
      seed: 42,
    },
  }, options.clock);
  if (state === "paused") Object.defineProperty(job, "status", { get: () => "paused", enumerable: true });
  sim.jobs.set(id, job);
  return job;
}

/**
 * Inserts `jobIds.length` tracked models for `ownerId`, one per job id (null: a model whose
 * creation died before its job existed), their training runs due at `dueAt`.
 */
export async function insertTrackedModels(ownerId: string, jobIds: readonly (string | null)[], options: {
  dueAt: Date;
  status?: "pending" | "training";
  trainingStartedAt?: Date;
  bookId?: string;
}): Promise<string[]> {
  const book = options.bookId ?? `sync-${crypto.randomUUID()}`;
  const rows = await adminSql()<{ id: string }[]>`
    insert into private.fine_tuned_models
      (name, type, entity_name, book_id, status, created_by, openai_job_id, training_started_at)
    select 'Sync model ' || n, 'author', 'Entity ' || n, ${book}, ${options.status ?? "pending"}, ${ownerId},
           (${jobIds as string[]}::text[])[n], ${(options.trainingStartedAt ?? options.dueAt).toISOString()}::timestamptz
    from generate_series(1, ${jobIds.length}) as n
    order by n
    returning id`;
  const ids = rows.map((row) => row.id);
  // The database gave each model its first training run; make them due.
  await adminSql()`
    update public.training_runs set next_check_at = ${options.dueAt.toISOString()}::timestamptz
    where model_id = any(${ids}::uuid[])`;
  return ids;
}
