import { z } from "zod";
import type { FinetuneEvent, FinetuneResponse, FineTuningListResponse } from "together-ai/resources/fine-tuning";
import { log } from "../../log.ts";
import type { NormalizedJobStatus, ProviderJob } from "../training-provider.ts";
import { safeTogetherText } from "./errors.ts";

/** Together's job states, normalised. `cancel_requested` keeps training until Together says `cancelled`. */
const STATUS_MAP: Record<string, NormalizedJobStatus> = {
  pending: "pending",
  queued: "pending",
  running: "training",
  compressing: "training",
  uploading: "training",
  cancel_requested: "training",
  cancelled: "cancelled",
  error: "failed",
  completed: "succeeded",
};

/** Maps a Together status to ours; one we have never seen is kept as `unknown` (and logged), not an error. */
export function normalizeTogetherStatus(rawStatus: string): NormalizedJobStatus {
  return STATUS_MAP[rawStatus] ?? "unknown";
}

const eventSchema = z.object({
  type: z.string().nullish(),
  message: z.string().nullish(),
  step: z.number().nullish(),
  total_steps: z.number().nullish(),
  level: z.string().nullish(),
});

/** The fields of a Together fine-tune we use; the list and create answers carry fewer than retrieve. */
export const togetherJobSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  created_at: z.string().nullish(),
  model: z.string().nullish(),
  suffix: z.string().nullish(),
  model_output_name: z.string().nullish(),
  token_count: z.number().nullish(),
  n_epochs: z.number().nullish(),
  epochs_completed: z.number().nullish(),
  events: z.array(eventSchema).nullish(),
});
export type TogetherJob = z.infer<typeof togetherJobSchema>;
export const togetherJobListSchema = z.object({ data: z.array(togetherJobSchema) });

/** The keys of `Ours` that `Theirs` lacks (never: none): a field Together's SDK renames or drops fails `deno check`. */
export type UnknownFields<Ours, Theirs> = Exclude<keyof Ours, keyof Theirs>;
const _jobFieldsKnown: UnknownFields<TogetherJob, FinetuneResponse & FineTuningListResponse.Data> extends never ? true : never = true;
const _eventFieldsKnown: UnknownFields<z.infer<typeof eventSchema>, FinetuneEvent> extends never ? true : never = true;

/**
 * The fine-tuned model's suffix: our whole training run id (compact), so the job of a run is found
 * by it alone (a retrain never adopts an earlier run's job), within Together's 64-character limit.
 */
export function togetherSuffixForRun(runId: string): string {
  return `sv-${runId.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 32)}`;
}

/** Whether `job` was started for the run with this suffix (the suffix, or the output name that embeds it). */
export function jobBelongsTo(job: TogetherJob, suffix: string): boolean {
  if (job.suffix) return job.suffix === suffix;
  return Boolean(job.model_output_name && job.model_output_name.includes(`-${suffix}`));
}

/** Step of total from the newest event that reports both; else whole epochs. */
function progressOf(job: TogetherJob): ProviderJob["progress"] {
  for (const event of [...(job.events ?? [])].reverse()) {
    if (event.step != null && event.total_steps && event.total_steps > 0) {
      return { step: Math.max(0, Math.floor(event.step)), totalSteps: Math.floor(event.total_steps) };
    }
  }
  if (job.n_epochs && job.epochs_completed != null) return { step: job.epochs_completed, totalSteps: job.n_epochs };
  return null;
}

function failureReason(job: TogetherJob): string {
  const failed = [...(job.events ?? [])].reverse().find((event) => event.type === "job_error" || event.level === "error");
  const message = failed?.message?.trim();
  return message ? safeTogetherText(message) : "Together AI reported the job failed without a reason.";
}

/** A Together job in the provider-neutral shape. */
export function toProviderJob(job: TogetherJob): ProviderJob {
  const status = normalizeTogetherStatus(job.status);
  if (status === "unknown") log.warn("unknown Together fine-tuning status", { jobId: job.id, rawStatus: job.status });
  return {
    id: job.id,
    status,
    rawStatus: job.status,
    fineTunedModel: status === "succeeded" ? job.model_output_name ?? null : null,
    trainedTokens: status === "succeeded" && job.token_count != null ? Math.round(job.token_count) : null,
    error: status === "failed" ? failureReason(job) : null,
    estimatedFinish: null,
    progress: status === "training" || status === "succeeded" ? progressOf(job) : null,
    baseModel: job.model ?? null,
  };
}
