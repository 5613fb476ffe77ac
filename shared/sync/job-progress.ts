import { z } from "zod";
import type { ProviderJob } from "../providers/training-provider.ts";

/**
 * `training_runs.progress`: the provider's job as last seen. Owners read it
 * (`progress` in `fine-tune-status`); the sync reads `statusSince` for its backoff and
 * `lastChangeAt` to give up on a job that went silent.
 */
export interface JobProgress {
  /** The provider's own word, e.g. `queued`, `running`, or a state this build does not know. */
  providerStatus: string;
  step: number | null;
  totalSteps: number | null;
  /** 0-100 where the provider reports steps; 100 once the job succeeded. */
  percent: number | null;
  estimatedFinish: string | null;
  /** When the job entered `providerStatus` (first sighting: when training started). */
  statusSince: string;
  /** When the status or the step last changed. */
  lastChangeAt: string;
  checkedAt: string;
}

const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)));
const storedProgress = z.object({
  providerStatus: z.string(),
  step: z.number().nullable(),
  totalSteps: z.number().nullable(),
  statusSince: isoDate,
  lastChangeAt: isoDate,
});

/** The stored progress, or null when there is none (or it is not in the shape this build writes). */
export function readProgress(stored: unknown): Pick<JobProgress, "providerStatus" | "step" | "totalSteps" | "statusSince" | "lastChangeAt"> | null {
  const parsed = storedProgress.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/**
 * The progress after seeing `job` at `now`. `trainingStartedAt` stands in for when the job entered
 * its state on the first sighting, so a job found queued for hours backs off at once.
 */
export function nextProgress(stored: unknown, job: ProviderJob, now: Date, trainingStartedAt: Date): JobProgress {
  const previous = readProgress(stored);
  const statusChanged = previous?.providerStatus !== job.rawStatus;
  const sameStatus = previous && !statusChanged ? previous : null;
  const step = job.progress?.step ?? sameStatus?.step ?? null;
  const totalSteps = job.progress?.totalSteps ?? sameStatus?.totalSteps ?? previous?.totalSteps ?? null;
  const changed = statusChanged || (job.progress !== null && job.progress.step !== previous?.step);
  const succeeded = job.status === "succeeded";
  return {
    providerStatus: job.rawStatus,
    step: succeeded ? totalSteps ?? step : step,
    totalSteps,
    percent: succeeded ? 100 : percentOf(step, totalSteps),
    estimatedFinish: job.estimatedFinish ? job.estimatedFinish.toISOString() : null,
    statusSince: previous === null ? trainingStartedAt.toISOString() : statusChanged ? now.toISOString() : previous.statusSince,
    lastChangeAt: changed ? now.toISOString() : previous!.lastChangeAt,
    checkedAt: now.toISOString(),
  };
}

function percentOf(step: number | null, totalSteps: number | null): number | null {
  if (step === null || !totalSteps) return null;
  return Math.max(0, Math.min(100, Math.floor((step / totalSteps) * 100)));
}
