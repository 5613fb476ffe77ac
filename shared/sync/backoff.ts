/**
 * How often the training sync asks the provider about a job, and when it stops asking. Jobs that
 * just changed are checked often; jobs that sit in one state (a long queue) are checked rarely, so
 * thousands of queued jobs cost a few requests a minute, not thousands.
 */

/** The shortest wait between two checks of one job: about the cron's own interval. */
export const MIN_CHECK_INTERVAL_SECONDS = 30;
/** The longest wait between two checks, reached by a job that has sat in one state for ~100 minutes. */
export const MAX_CHECK_INTERVAL_SECONDS = 600;
/**
 * A job whose provider status and progress have not changed for this long is given up: the model
 * fails with a clear error and the job is cancelled. OpenAI's queue can be slow, but not this slow.
 */
export const STALL_LIMIT_HOURS = 48;
/** Slack after the provider's estimated finish before looking, so the job has really ended. */
const ESTIMATED_FINISH_SLACK_SECONDS = 15;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Seconds until the next check of a job that answered: a tenth of the time it has spent in its
 * current state (30 s while fresh, 10 min after ~100 min), never much later than the provider's
 * estimated finish.
 */
export function nextCheckDelaySeconds(input: {
  statusAgeSeconds: number;
  secondsToEstimatedFinish?: number | null;
}): number {
  let delay = clamp(input.statusAgeSeconds / 10, MIN_CHECK_INTERVAL_SECONDS, MAX_CHECK_INTERVAL_SECONDS);
  const untilFinish = input.secondsToEstimatedFinish;
  if (untilFinish !== null && untilFinish !== undefined && untilFinish > 0) {
    delay = Math.min(delay, untilFinish + ESTIMATED_FINISH_SLACK_SECONDS);
  }
  return Math.round(clamp(delay, MIN_CHECK_INTERVAL_SECONDS, MAX_CHECK_INTERVAL_SECONDS));
}

/** Seconds until a job whose check failed (429, 5xx, timeout) is tried again: 30 s doubling to 10 min. */
export function retryDelaySeconds(consecutiveFailures: number): number {
  const exponent = Math.max(0, Math.min(consecutiveFailures - 1, 10));
  return Math.min(MAX_CHECK_INTERVAL_SECONDS, MIN_CHECK_INTERVAL_SECONDS * 2 ** exponent);
}

/** True when nothing has changed about the job for longer than `STALL_LIMIT_HOURS`. */
export function isStalled(lastChangeAt: Date, now: Date): boolean {
  return now.getTime() - lastChangeAt.getTime() > STALL_LIMIT_HOURS * 3_600_000;
}
