import { modelStatusFor } from "../lifecycle/model-store.ts";
import { log } from "../log.ts";
import type { ProviderJob } from "../providers/training-provider.ts";
import { isStalled, nextCheckDelaySeconds, retryDelaySeconds, STALL_LIMIT_HOURS } from "./backoff.ts";
import { type JobProgress, nextProgress, readProgress } from "./job-progress.ts";

/**
 * The one place that decides what a provider job means for its training run, shared by the
 * scheduled sync and the webhook. Pure: it plans the run's new state; `writeJobStates` writes the
 * plans (and the model row follows its current run).
 */

/** A training run whose job is being tracked (`pending` or `training`), as the sync claimed or the webhook found it. */
export interface TrackedRun {
  id: string;
  model_id: string;
  status: "pending" | "training";
  provider: string;
  provider_job_id: string | null;
  progress: unknown;
  started_at: Date | null;
  created_at: Date;
  attempts: number;
  /** The sync's lease, exactly as written (the write-back's fence); null on the webhook path. */
  lease: string | null;
}

/** The planned write for one run; the write applies only while the row still is as it was read. */
export interface JobStateUpdate {
  id: string;
  /** Fence: the status the plan was made from. */
  expectedStatus: "pending" | "training";
  /** Fence: the sync's lease; null means "whoever holds it" (the webhook). */
  lease: string | null;
  status: "pending" | "training" | "completed" | "failed";
  fineTunedModel: string | null;
  trainingTokens: number | null;
  /** The reason stored with `failed`. */
  error: string | null;
  /** Null keeps the stored progress. */
  progress: JobProgress | null;
  attempts: number;
  nextCheckAt: Date;
  completedAt: Date | null;
  /** Why the plan was made: reported, and `stalled` jobs are cancelled once the write lands. */
  reason: "job-state" | "stalled" | "check-failed" | "deferred";
}

/** Stored in `error` when the sync gives up on a silent job. */
export const STALLED_JOB_ERROR =
  `The fine-tuning job made no progress for ${STALL_LIMIT_HOURS} hours, so it was given up. Create the model again to retry.`;

const secondsBetween = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 1000);
const addSeconds = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);

function unchanged(run: TrackedRun): Omit<JobStateUpdate, "nextCheckAt" | "reason"> {
  return {
    id: run.id,
    expectedStatus: run.status,
    lease: run.lease,
    status: run.status,
    fineTunedModel: null,
    trainingTokens: null,
    error: null,
    progress: null,
    attempts: run.attempts,
    completedAt: null,
  };
}

/** The run's new state after the provider answered with `job`. */
export function planJobUpdate(run: TrackedRun, job: ProviderJob, now: Date): JobStateUpdate {
  const progress = nextProgress(run.progress, job, now, run.started_at ?? run.created_at);
  const base = { ...unchanged(run), progress, attempts: 0 };
  let status = modelStatusFor(job);
  if (status === "completed" && !job.fineTunedModel) {
    // Chat could not use it; a later answer will carry the name.
    log.warn("succeeded job without a fine-tuned model", { runId: run.id, jobId: job.id });
    status = null;
  }
  if (status === null) log.warn("keeping the run's status for an unknown job state", { runId: run.id, jobId: job.id, rawStatus: job.rawStatus });

  if (status === "completed") {
    return {
      ...base,
      status,
      fineTunedModel: job.fineTunedModel,
      trainingTokens: job.trainedTokens,
      completedAt: now,
      nextCheckAt: now,
      reason: "job-state",
    };
  }
  if (status === "failed") {
    const error = job.error ??
      (job.status === "cancelled" ? "The fine-tuning job was cancelled at the provider." : "The fine-tuning job failed.");
    return { ...base, status, error, nextCheckAt: now, reason: "job-state" };
  }
  if (isStalled(new Date(progress.lastChangeAt), now)) {
    return { ...base, status: "failed", error: STALLED_JOB_ERROR, nextCheckAt: now, reason: "stalled" };
  }
  const estimatedFinish = job.estimatedFinish ? secondsBetween(now, job.estimatedFinish) : null;
  const delay = nextCheckDelaySeconds({
    statusAgeSeconds: secondsBetween(new Date(progress.statusSince), now),
    secondsToEstimatedFinish: estimatedFinish,
  });
  return { ...base, status: status ?? run.status, nextCheckAt: addSeconds(now, delay), reason: "job-state" };
}

/**
 * The provider did not answer usefully. Transient failures (429, 5xx, timeouts) are retried with
 * backoff for as long as it takes; a job the provider keeps refusing to show (404, 401/403) is
 * given up once it has been silent past the stall limit.
 */
export function planCheckFailure(run: TrackedRun, retryable: boolean, now: Date): JobStateUpdate {
  const attempts = run.attempts + 1;
  const lastChange = readProgress(run.progress)?.lastChangeAt;
  const silentSince = lastChange ? new Date(lastChange) : run.started_at ?? run.created_at;
  if (!retryable && isStalled(silentSince, now)) {
    return { ...unchanged(run), status: "failed", error: STALLED_JOB_ERROR, attempts, nextCheckAt: now, reason: "stalled" };
  }
  return { ...unchanged(run), attempts, nextCheckAt: addSeconds(now, retryDelaySeconds(attempts)), reason: "check-failed" };
}

/** Hands the run back untouched and due at once: this run ran out of time or the provider is down. */
export function planRelease(run: TrackedRun, now: Date): JobStateUpdate {
  return { ...unchanged(run), nextCheckAt: now, reason: "deferred" };
}
