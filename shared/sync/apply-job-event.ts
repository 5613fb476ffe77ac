import { withServiceTransaction } from "../db/client.ts";
import { log } from "../log.ts";
import { trainingProvider } from "../providers/registry.ts";
import { ProviderError } from "../providers/training-provider.ts";
import { planJobUpdate, type TrackedRun } from "./apply-job-state.ts";
import { writeJobStates } from "./write-job-states.ts";
import { runInBackground } from "../lifecycle/background.ts";
import { startQueuedRuns } from "./start-queued-runs.ts";

/** What a pushed job event did. */
export interface JobEventOutcome {
  /** Tracked models (`pending`/`training`) with this job. */
  models: number;
  /** Models whose status changed. */
  advanced: number;
  /** The provider could not be asked: the models were made due for the scheduled sync instead. */
  deferredToSync: boolean;
}

/**
 * A provider told us a job changed (a webhook). The event only names the job, so the job is read
 * from the provider and applied with the sync's own planning and fenced write: whichever of the two
 * lands first writes the transition, the other changes nothing. Only the job's state is written
 * here; giving up on silent jobs stays with the sync. A provider failure is not the sender's
 * problem: the models become due at once and the next sync run takes them.
 */
export async function applyJobEvent(provider: string, jobId: string, clock: () => Date = () => new Date()): Promise<JobEventOutcome> {
  const models = await withServiceTransaction((tx) =>
    tx<TrackedRun[]>`
      select r.id, r.model_id, r.status, r.provider, r.provider_job_id, r.progress, r.started_at,
             r.created_at, r.attempts, null::text as lease
      from public.training_runs r
      where r.provider_job_id = ${jobId}
        and r.provider = ${provider}
        and r.status in ('pending', 'training')`
  );
  if (models.length === 0) return { models: 0, advanced: 0, deferredToSync: false };

  let job;
  try {
    job = await trainingProvider(provider).getJob(jobId);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    log.warn("webhook could not read the job; leaving it to the sync", { jobId, error });
    await makeDue(models.map((model) => model.id));
    return { models: models.length, advanced: 0, deferredToSync: true };
  }

  const now = clock();
  const updates = models.map((model) => planJobUpdate(model, job, now)).filter((update) => update.reason === "job-state");
  const written = await withServiceTransaction((tx) => writeJobStates(tx, updates));
  const advanced = written.filter((row) => updates.find((update) => update.id === row.id)?.expectedStatus !== row.status);
  // A job that ended freed a provider slot: the training queue's head need not wait for the next sync.
  if (advanced.some((row) => row.status !== "pending" && row.status !== "training")) {
    runInBackground("start-queued-runs", () => startQueuedRuns());
  }
  return { models: models.length, advanced: advanced.length, deferredToSync: false };
}

async function makeDue(runIds: string[]): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update public.training_runs
      set next_check_at = least(next_check_at, now())
      where id = any(${runIds}::uuid[]) and status in ('pending', 'training')`
  );
}
