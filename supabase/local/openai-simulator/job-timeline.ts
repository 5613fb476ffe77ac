/**
 * A job's life as a pure function of the clock: no timers run, so every read computes where the job
 * is now. validating_files (first 10% of the duration) -> queued (to 30%) -> running (to 100%) ->
 * the outcome.
 */
import type OpenAI from "openai";
import type { JobOutcome, JobSchedule, SimJob } from "./state.ts";
import { toUnixSeconds } from "./state.ts";

const VALIDATION_ENDS = 0.1;
const QUEUE_ENDS = 0.3;

/** The minimum OpenAI accepts; smaller files fail during validation. */
export const MIN_TRAINING_EXAMPLES = 10;

export type JobStatus = "validating_files" | "queued" | "running" | "succeeded" | "failed" | "cancelled";

function atFraction(schedule: JobSchedule, fraction: number): number {
  return schedule.createdAtMs + fraction * schedule.durationMs;
}

function naturalEndMs(schedule: JobSchedule): number {
  return atFraction(schedule, schedule.outcome.atFraction);
}

/** When the job reached (or will reach) its final status. */
export function endsAtMs(schedule: JobSchedule): number {
  // The cancel endpoint only records a cancel before the natural end, so the earlier one wins.
  return schedule.cancelledAtMs ?? naturalEndMs(schedule);
}

/** The status at `nowMs`. */
export function statusAt(schedule: JobSchedule, nowMs: number): JobStatus {
  if (schedule.cancelledAtMs !== null && nowMs >= schedule.cancelledAtMs) return "cancelled";
  if (nowMs >= naturalEndMs(schedule)) return schedule.outcome.status;
  const elapsed = (nowMs - schedule.createdAtMs) / schedule.durationMs;
  if (elapsed < VALIDATION_ENDS) return "validating_files";
  if (elapsed < QUEUE_ENDS) return "queued";
  return "running";
}

export function isTerminal(status: string): boolean {
  return status === "succeeded" || status === "failed" || status === "cancelled";
}

/** Builds a job whose time-dependent fields are getters over `schedule` and the clock. */
export function createJobRecord(
  fields: Omit<SimJob, "status" | "fine_tuned_model" | "finished_at" | "trained_tokens" | "error" | "estimated_finish">,
  now: () => number,
): SimJob {
  const { schedule } = fields;
  return {
    ...fields,
    get status() {
      return statusAt(schedule, now());
    },
    get fine_tuned_model() {
      return statusAt(schedule, now()) === "succeeded" ? schedule.modelName : null;
    },
    get finished_at() {
      return isTerminal(statusAt(schedule, now())) ? toUnixSeconds(endsAtMs(schedule)) : null;
    },
    get trained_tokens() {
      return statusAt(schedule, now()) === "succeeded" ? schedule.tokensPerEpoch * schedule.epochs : null;
    },
    get error() {
      const outcome: JobOutcome = schedule.outcome;
      return statusAt(schedule, now()) === "failed" && outcome.status === "failed" ? outcome.error : null;
    },
    get estimated_finish() {
      return statusAt(schedule, now()) === "running" ? toUnixSeconds(atFraction(schedule, 1)) : null;
    },
  };
}

/** The `fine_tuning.job` object as the API returns it. */
// `user_provided_suffix` is on the wire but not in the SDK's type.
export function jobObject(job: SimJob): OpenAI.FineTuning.FineTuningJob & { user_provided_suffix: string | null } {
  return {
    object: "fine_tuning.job",
    id: job.id,
    model: job.model,
    created_at: job.created_at,
    finished_at: job.finished_at,
    fine_tuned_model: job.fine_tuned_model,
    organization_id: "org-storyvoice-sim",
    result_files: job.status === "succeeded" ? [`file-result-${job.id.slice(6)}`] : [],
    status: job.status as OpenAI.FineTuning.FineTuningJob["status"],
    validation_file: job.validation_file,
    training_file: job.training_file,
    hyperparameters: job.hyperparameters,
    trained_tokens: job.trained_tokens,
    error: job.error,
    user_provided_suffix: job.suffix,
    seed: job.schedule.seed,
    estimated_finish: job.estimated_finish,
    integrations: [],
    metadata: job.metadata,
    method: job.method as OpenAI.FineTuning.FineTuningJob["method"],
  };
}

interface TimelineEntry {
  atMs: number;
  level: "info" | "warn" | "error";
  message: string;
  type: "message" | "metrics";
  data?: Record<string, number>;
}

/** The job's events up to now, newest first, as `fine_tuning.job.event` objects. */
export function jobEvents(job: SimJob, nowMs: number): OpenAI.FineTuning.FineTuningJobEvent[] {
  const entries = timeline(job).filter((entry) => entry.atMs <= nowMs);
  return entries
    .map((entry, index) => ({
      object: "fine_tuning.job.event" as const,
      id: `ftevent-${job.id.slice(6, 18)}${String(index).padStart(4, "0")}`,
      created_at: toUnixSeconds(entry.atMs),
      level: entry.level,
      message: entry.message,
      data: entry.data ?? {},
      type: entry.type,
    }))
    .reverse();
}

function timeline(job: SimJob): TimelineEntry[] {
  const { schedule } = job;
  const at = (fraction: number) => atFraction(schedule, fraction);
  const info = (atMs: number, message: string): TimelineEntry => ({ atMs, level: "info", message, type: "message" });
  const entries: TimelineEntry[] = [
    info(at(0), `Created fine-tuning job: ${job.id}`),
    info(at(0), `Validating training file: ${job.training_file}`),
  ];
  const { outcome } = schedule;
  if (outcome.status === "failed" && outcome.atFraction <= VALIDATION_ENDS) {
    entries.push({ atMs: at(outcome.atFraction), level: "error", message: outcome.error.message, type: "message" });
    return cutAtCancel(entries, schedule);
  }
  entries.push(info(at(VALIDATION_ENDS), "Files validated, moving job to queued state"));
  entries.push(info(at(QUEUE_ENDS), `Fine-tuning job started`));

  const totalSteps = Math.max(1, schedule.exampleCount * schedule.epochs);
  const runningShare = outcome.atFraction - QUEUE_ENDS;
  // One metrics event as running starts and nine more through it, like the real job's step log.
  for (let tenth = 0; tenth < 10; tenth++) {
    const step = Math.max(1, Math.floor((totalSteps * tenth) / 10));
    const trainLoss = Number((2.5 / (1 + step / 4)).toFixed(4));
    entries.push({
      atMs: at(QUEUE_ENDS + (runningShare * tenth) / 10),
      level: "info",
      message: `Step ${step}/${totalSteps}: training loss=${trainLoss}`,
      type: "metrics",
      data: {
        step,
        total_steps: totalSteps,
        train_loss: trainLoss,
        train_mean_token_accuracy: 0.5 + step / (2 * totalSteps),
      },
    });
  }
  const end = at(outcome.atFraction);
  if (outcome.status === "succeeded") {
    entries.push(info(end, `Checkpoint created at step ${totalSteps}`));
    entries.push(info(end, `New fine-tuned model created: ${schedule.modelName}`));
    entries.push(info(end, "The job has successfully completed"));
  } else if (outcome.status === "failed") {
    entries.push({ atMs: end, level: "error", message: outcome.error.message, type: "message" });
  } else {
    entries.push(info(end, "Fine-tuning job cancelled"));
  }
  return cutAtCancel(entries, schedule);
}

function cutAtCancel(entries: TimelineEntry[], schedule: JobSchedule): TimelineEntry[] {
  const cancelledAtMs = schedule.cancelledAtMs;
  if (cancelledAtMs === null) return entries;
  const kept = entries.filter((entry) => entry.atMs < cancelledAtMs);
  kept.push({ atMs: cancelledAtMs, level: "info", message: "Fine-tuning job cancelled", type: "message" });
  return kept;
}
