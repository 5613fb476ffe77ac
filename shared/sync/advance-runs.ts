import { withServiceTransaction } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { log } from "../log.ts";
import { trainingProvider } from "../providers/registry.ts";
import { type ProviderJob, ProviderError, type TrainingProvider } from "../providers/training-provider.ts";
import {
  type JobStateUpdate,
  planCheckFailure,
  planJobUpdate,
  planRelease,
  type TrackedRun,
} from "./apply-job-state.ts";
import { forEachWithConcurrency } from "./concurrency.ts";
import { type WrittenState, writeJobStates } from "./write-job-states.ts";

/** What one batch came to; the run adds these up into its report. */
export interface BatchCounts {
  /** The provider answered for the job. */
  checked: number;
  /** The run's status changed (each transition counted once, by the writer that landed it). */
  advanced: number;
  completed: number;
  failed: number;
  /** The provider call failed; the run is retried with backoff. */
  errors: number;
  /** Not looked at (out of time, provider down) and handed back due. */
  deferred: number;
}

/**
 * Stops a run from hammering a provider that is down: after `limit` retryable failures in a row,
 * the rest of the sync run's training runs are handed back untouched.
 */
export class ProviderFailureBreaker {
  #consecutive = 0;
  constructor(private readonly limit = 20) {}
  get tripped(): boolean {
    return this.#consecutive >= this.limit;
  }
  record(succeeded: boolean, retryable: boolean): void {
    this.#consecutive = succeeded ? 0 : retryable ? this.#consecutive + 1 : this.#consecutive;
  }
}

/**
 * Asks the provider about each claimed run's job (at most `concurrency` at once), plans each
 * run's new state with the code the webhook uses too, and writes the whole batch back in one
 * statement. A failure on one run is recorded on that run (backoff) and never stops the others.
 */
export async function advanceRunsWithJobs(runs: readonly TrackedRun[], options: {
  clock: () => Date;
  concurrency: number;
  shouldStop: () => boolean;
  breaker: ProviderFailureBreaker;
}): Promise<BatchCounts> {
  const counts: BatchCounts = { checked: 0, advanced: 0, completed: 0, failed: 0, errors: 0, deferred: 0 };
  const updates: JobStateUpdate[] = [];

  await forEachWithConcurrency(runs, options.concurrency, async (run) => {
    try {
      const provider = trainingProvider(run.provider);
      const job = await provider.getJob(run.provider_job_id!);
      if (job.status === "succeeded") await deployFineTune(provider, job, run.id);
      updates.push(planJobUpdate(run, job, options.clock()));
      counts.checked++;
      options.breaker.record(true, false);
    } catch (error) {
      const retryable = error instanceof ProviderError ? error.retryable : isDatabaseUnavailable(error);
      log.warn("training sync could not check a job", { runId: run.id, jobId: run.provider_job_id, retryable, error });
      updates.push(planCheckFailure(run, retryable, options.clock()));
      counts.errors++;
      options.breaker.record(false, retryable);
    }
  }, {
    stop: () => options.shouldStop() || options.breaker.tripped,
    skipped: (run) => {
      updates.push(planRelease(run, options.clock()));
      counts.deferred++;
    },
  });

  const written = await withServiceTransaction((tx) => writeJobStates(tx, updates));
  countTransitions(updates, written, counts);
  await cancelStalledJobs(runs, updates, written);
  return counts;
}

function countTransitions(updates: readonly JobStateUpdate[], written: readonly WrittenState[], counts: BatchCounts) {
  const byId = new Map(updates.map((update) => [update.id, update]));
  for (const row of written) {
    const update = byId.get(row.id);
    if (!update || update.status === update.expectedStatus) continue;
    counts.advanced++;
    if (update.status === "completed") counts.completed++;
    if (update.status === "failed") counts.failed++;
  }
  const fenced = updates.length - written.length;
  // Someone else (the webhook, a later run) wrote these first: theirs stands.
  if (fenced > 0) log.info("training sync left rows another writer had changed", { rows: fenced });
}

/**
 * Makes a succeeded job's fine-tune answerable before its run is recorded completed (a provider
 * that serves it only once deployed). A retryable failure is thrown: the run is checked again
 * later. A refusal that will not change is logged loudly; chat then answers in persona mode, saying why.
 */
async function deployFineTune(provider: TrainingProvider, job: ProviderJob, runId: string): Promise<void> {
  try {
    await provider.deployFineTune?.(job);
  } catch (error) {
    if (!(error instanceof ProviderError) || error.retryable) throw error;
    log.error("FINE-TUNE COULD NOT BE DEPLOYED: it answers in persona mode", { runId, model: job.fineTunedModel, error });
  }
}

/** A job given up on is cancelled, so it cannot finish (and bill) for a model whose training has failed. */
async function cancelStalledJobs(runs: readonly TrackedRun[], updates: readonly JobStateUpdate[], written: readonly WrittenState[]) {
  const writtenIds = new Set(written.map((row) => row.id));
  const stalled = updates.filter((update) => update.reason === "stalled" && writtenIds.has(update.id));
  const runsById = new Map(runs.map((run) => [run.id, run]));
  await forEachWithConcurrency(stalled, 4, async ({ id }) => {
    const run = runsById.get(id)!;
    log.warn("gave up on a silent fine-tuning job", { runId: id, jobId: run.provider_job_id });
    try {
      await trainingProvider(run.provider).cancelJob(run.provider_job_id!);
    } catch (error) {
      log.warn("could not cancel a given-up job", { runId: id, jobId: run.provider_job_id, error });
    }
  });
}
