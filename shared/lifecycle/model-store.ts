import { withServiceTransaction } from "../db/client.ts";
import { modelColumns, type ModelRow } from "../models/model-json.ts";
import type { ProviderJob } from "../providers/training-provider.ts";

/**
 * The lifecycle's writes, on the service path: the columns no client may write (status, job ids,
 * tokens, leases) change only here and in the training sync.
 */

/** How long one worker may hold a model before another may take over its work. */
export const CREATION_LEASE_SECONDS = 300;
/** Creation attempts (the first and the sync's retries) before a model is failed for good. */
export const MAX_CREATION_ATTEMPTS = 5;

/**
 * Takes the creation work of a pending model that has no provider job yet, unless another worker
 * holds it: the first caller wins, so the request's background task and the sync never both work.
 */
export async function claimCreation(modelId: string): Promise<ModelRow | null> {
  const [row] = await withServiceTransaction((tx) =>
    tx<ModelRow[]>`
      update public.fine_tuned_models m
      set lease_expires_at = now() + make_interval(secs => ${CREATION_LEASE_SECONDS})
      where m.id = ${modelId}
        and m.status = 'pending'
        and m.openai_job_id is null
        and (m.lease_expires_at is null or m.lease_expires_at < now())
      returning ${modelColumns(tx)}`
  );
  return row ?? null;
}

/** Stores the style guide as soon as it exists (the fallback chat uses it from then on) with the starter prompts. */
export async function saveStyleGuide(modelId: string, styleGuide: string, starterPrompts: string[]): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update public.fine_tuned_models
      set style_description = ${styleGuide}, starter_prompts = ${tx.json(starterPrompts)}
      where id = ${modelId}`
  );
}

/** Records the uploaded training file, so a retry uploads nothing twice. */
export async function saveTrainingFile(modelId: string, file: {
  fileId: string;
  summary: Record<string, unknown>;
  estimatedTokens: number;
  estimatedCostUsd: number;
}): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update public.fine_tuned_models
      set training_file_id = ${file.fileId},
          training_data_summary = ${tx.json(file.summary as never)},
          training_tokens = ${file.estimatedTokens},
          estimated_cost_usd = ${file.estimatedCostUsd}
      where id = ${modelId}`
  );
}

/** Job state -> model status, the mapping shared by creation, the sync and the webhook. */
export function modelStatusFor(job: ProviderJob): "pending" | "training" | "completed" | "failed" | null {
  switch (job.status) {
    case "pending":
      return "pending";
    case "training":
      return "training";
    case "succeeded":
      return "completed";
    case "failed":
    case "cancelled":
      return "failed";
    default:
      return null; // unknown: keep the current status and ask again later
  }
}

/**
 * Records a freshly created provider job. Returns false when the model vanished meanwhile
 * (deleted by its owner), so the caller can cancel the orphan job.
 */
export async function saveJobStarted(modelId: string, job: ProviderJob): Promise<boolean> {
  const rows = await withServiceTransaction((tx) =>
    tx`
      update public.fine_tuned_models
      set openai_job_id = ${job.id},
          status = ${modelStatusFor(job) ?? "pending"},
          training_started_at = now(),
          lease_expires_at = null,
          check_attempts = 0,
          next_check_at = now() + interval '30 seconds',
          error = null
      where id = ${modelId}
      returning id`
  );
  return rows.length > 0;
}

/** Fine-tuning is not available: the model is usable at once in persona mode, with the reason kept. */
export async function markPersonaMode(modelId: string, reason: string): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update public.fine_tuned_models
      set status = 'ready', error = ${reason}, lease_expires_at = null
      where id = ${modelId}`
  );
}

/** The work failed for good. */
export async function markFailed(modelId: string, reason: string): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update public.fine_tuned_models
      set status = 'failed', error = ${reason}, lease_expires_at = null
      where id = ${modelId}`
  );
}

/**
 * A transient failure: give the work back with exponential backoff (1, 2, 4, 8 minutes...) for the
 * sync to resume, or fail the model once the attempts are used up. Returns the new status.
 */
export async function releaseForRetry(modelId: string, reason: string): Promise<"pending" | "failed"> {
  const [row] = await withServiceTransaction((tx) =>
    tx<{ status: "pending" | "failed" }[]>`
      update public.fine_tuned_models
      set check_attempts = check_attempts + 1,
          status = case when check_attempts + 1 >= ${MAX_CREATION_ATTEMPTS} then 'failed' else status end,
          error = ${reason},
          lease_expires_at = null,
          next_check_at = now() + make_interval(mins => power(2, check_attempts)::int)
      where id = ${modelId}
      returning status`
  );
  return row?.status ?? "failed";
}

/** The provider no longer has the fine-tuned model (404): chat stops trying it. */
export async function markFineTunedModelRetired(modelId: string): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update public.fine_tuned_models
      set fine_tuned_model_retired_at = coalesce(fine_tuned_model_retired_at, now()),
          error = 'The provider retired the fine-tuned model; chat answers in persona mode.'
      where id = ${modelId}`
  );
}
