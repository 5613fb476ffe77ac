import type { Database } from "../db/database.types.ts";
import { withServiceTransaction } from "../db/client.ts";
import { recordSpend } from "../db/spend.ts";
import type { SpendEntry } from "../llm/usage.ts";
import { env } from "../env.ts";
import type { ProviderJob } from "../providers/training-provider.ts";

/**
 * The lifecycle's writes, on the service path. Training state is written on the model's training
 * run (the model row shows its current run through a trigger); the persona's own texts on the
 * model. No client may write either.
 */

/** How long one worker may hold a run's creation work before another may take over. */
export const CREATION_LEASE_SECONDS = 300;
/** Creation attempts (the first and the sync's retries) before a run is failed for good. */
export const MAX_CREATION_ATTEMPTS = 5;

type PrivateModel = Database["private"]["Tables"]["fine_tuned_models"]["Row"];
type RunRow = Database["public"]["Tables"]["training_runs"]["Row"];

/** The model fields creation needs to rebuild the persona and plan the training. */
export type CreationModel = Pick<
  PrivateModel,
  | "id"
  | "type"
  | "entity_name"
  | "description"
  | "book_info"
  | "quick_tune"
  | "base_model"
  | "style_description"
  // The owner: the teacher's spend is theirs.
  | "created_by"
>;

/** A claimed creation: the model and the run whose work this worker now holds. */
export interface CreationClaim {
  model: CreationModel;
  run: Pick<RunRow, "id" | "provider" | "provider_file_id" | "base_model"> & {
    /** The model's first run (the only one that may own a job tagged with the model id alone). */
    first: boolean;
  };
  /** The most examples the run trains on: the owner's plan's `max_examples`, else MAX_TRAINING_EXAMPLES. */
  maxExamples: number;
}

/**
 * Takes the creation work of a model's current run while it is pending without a provider job,
 * unless another worker holds it: the first caller wins, so the request's background task and the
 * sync never both work.
 *
 * A model's first run that has nothing at any provider yet (no file, no job) takes `provider`, the
 * one new models train with; from its upload on, a run stays with its provider, so a retry after a
 * configuration change never starts a job at a second one. A later run (a retrain) keeps the
 * provider and base model it was started with.
 */
export async function claimCreation(modelId: string, newRunProvider: string): Promise<CreationClaim | null> {
  const [row] = await withServiceTransaction((tx) =>
    tx<(CreationModel & {
      run_id: string;
      provider: string;
      provider_file_id: string | null;
      run_base_model: string | null;
      first: boolean;
      max_examples: number;
    })[]>`
      update public.training_runs r
      set lease_expires_at = now() + make_interval(secs => ${CREATION_LEASE_SECONDS}),
          provider = case
            when r.provider_file_id is null
             and not exists (select 1 from public.training_runs o where o.model_id = r.model_id and o.created_at < r.created_at)
            then ${newRunProvider} else r.provider end
      from private.fine_tuned_models m
      where m.id = r.model_id
        and r.id = (select c.id from public.training_runs c where c.model_id = ${modelId}
                    order by c.created_at desc limit 1)
        and r.status = 'pending'
        and r.provider_job_id is null
        and (r.lease_expires_at is null or r.lease_expires_at < now())
      returning m.id, m.type, m.entity_name, m.description, m.book_info, m.quick_tune, m.base_model,
                m.style_description, m.created_by, r.id as run_id, r.provider, r.provider_file_id, r.base_model as run_base_model,
                not exists (select 1 from public.training_runs o
                            where o.model_id = r.model_id and o.created_at < r.created_at) as first,
                (select q.max_examples
                 from private.plan_quotas(m.created_by, null, null, null, ${env().MAX_TRAINING_EXAMPLES}) q) as max_examples`
  );
  if (!row) return null;
  const { run_id, provider, provider_file_id, run_base_model, first, max_examples, ...model } = row;
  return {
    model,
    run: { id: run_id, provider, provider_file_id, base_model: run_base_model, first },
    maxExamples: max_examples,
  };
}

/** The persona's texts, stored as soon as they exist: the fallback chat uses them from then on. */
export async function savePersonaTexts(modelId: string, texts: {
  styleGuide: string;
  starterPrompts: string[];
  sampleText: string;
  greeting: string;
}, spend: readonly SpendEntry[] = []): Promise<void> {
  await withServiceTransaction(async (tx) => {
    await tx`
      update private.fine_tuned_models
      set style_description = ${texts.styleGuide},
          starter_prompts = ${tx.json(texts.starterPrompts)},
          sample_text = ${texts.sampleText},
          -- An owner who already wrote their own greeting keeps it.
          greeting = coalesce(greeting, ${texts.greeting})
      where id = ${modelId}`;
    // The teacher's calls that wrote them, in the same transaction.
    await recordSpend(tx, spend);
  });
}

/** Records the uploaded training file on the run, so a retry uploads nothing twice. */
export async function saveTrainingFile(runId: string, file: {
  fileId: string;
  baseModel: string;
  summary: Record<string, unknown>;
  estimatedTokens: number;
  estimatedCostUsd: number;
}): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update public.training_runs
      set provider_file_id = ${file.fileId},
          base_model = ${file.baseModel},
          summary = ${tx.json(file.summary as never)},
          trained_tokens = ${file.estimatedTokens},
          estimated_cost_usd = ${file.estimatedCostUsd}
      where id = ${runId}`
  );
}

/** Job state -> run (and model) status, the mapping shared by creation, the sync and the webhook. */
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
 * Records a freshly created provider job. Returns false when the run vanished meanwhile (its model
 * was deleted by its owner), so the caller can cancel the orphan job.
 */
export async function saveJobStarted(runId: string, job: ProviderJob): Promise<boolean> {
  const rows = await withServiceTransaction((tx) =>
    tx`
      update public.training_runs
      set provider_job_id = ${job.id},
          status = ${modelStatusFor(job) ?? "pending"},
          started_at = now(),
          lease_expires_at = null,
          attempts = 0,
          next_check_at = now() + interval '30 seconds',
          error = null
      where id = ${runId}
      returning id`
  );
  return rows.length > 0;
}

/** Fine-tuning is not available: the model is usable at once in persona mode, with the reason kept. */
export async function markPersonaMode(runId: string, reason: string): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update public.training_runs
      set status = 'unavailable', error = ${reason}, lease_expires_at = null, completed_at = now()
      where id = ${runId}`
  );
}

/** The work failed for good. Answers "gone" when the run vanished meanwhile (its model was deleted). */
export async function markFailed(runId: string, reason: string): Promise<"failed" | "gone"> {
  const rows = await withServiceTransaction((tx) =>
    tx`
      update public.training_runs
      set status = 'failed', error = ${reason}, lease_expires_at = null
      where id = ${runId}
      returning id`
  );
  return rows.length > 0 ? "failed" : "gone";
}

/**
 * A transient failure: give the work back with exponential backoff (1, 2, 4, 8 minutes...) for the
 * sync to resume, or fail the run once the attempts are used up. Returns the new status, or "gone"
 * when the run vanished meanwhile (its model was deleted).
 */
export async function releaseForRetry(runId: string, reason: string): Promise<"pending" | "failed" | "gone"> {
  const [row] = await withServiceTransaction((tx) =>
    tx<{ status: "pending" | "failed" }[]>`
      update public.training_runs
      set attempts = attempts + 1,
          status = case when attempts + 1 >= ${MAX_CREATION_ATTEMPTS} then 'failed' else status end,
          error = ${reason},
          lease_expires_at = null,
          -- The provider slot goes back while it waits; the retry queues again at its old place.
          slot_taken_at = case when provider_job_id is null then null else slot_taken_at end,
          next_check_at = now() + make_interval(mins => power(2, attempts)::int)
      where id = ${runId}
      returning status`
  );
  return row?.status ?? "gone";
}

/** The provider no longer has the fine-tuned model (404): chat stops trying it. */
export async function markFineTunedModelRetired(modelId: string): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update private.fine_tuned_models
      set fine_tuned_model_retired_at = coalesce(fine_tuned_model_retired_at, now()),
          error = 'The provider retired the fine-tuned model; chat answers in persona mode.'
      where id = ${modelId}`
  );
}
