import type postgres from "postgres";
import { onDatabase, withUserTransaction } from "../db/client.ts";
import type { UserAuth } from "../auth/identity.ts";
import { notFound } from "../errors.ts";
import { log } from "../log.ts";
import { trainingProvider } from "../providers/registry.ts";
import { ProviderError } from "../providers/training-provider.ts";
import { recordLeftover } from "./provider-leftovers.ts";

/**
 * Deletes an own model: cancels its runs' live provider jobs and deletes their fine-tuned models
 * where it can (a provider failure never blocks the delete; a fine-tune the provider refused to
 * delete is recorded as left at the provider, and the sync retries it), then the row; its chats go
 * with it (on delete cascade). Another user's model is 404 whether public or not: only the owner
 * may know it can be deleted.
 */
export async function deleteModel(auth: UserAuth, modelId: string): Promise<void> {
  // The owner reads their model's training runs (RLS); anyone else finds no model at all.
  const [model] = await withUserTransaction(auth, (tx) =>
    tx<{ runs: ProviderRun[] }[]>`
      select coalesce((
        select json_agg(json_build_object('provider', r.provider, 'status', r.status,
                          'jobId', r.provider_job_id, 'fineTunedModel', r.fine_tuned_model))
        from public.training_runs r where r.model_id = m.id), '[]'::json) as runs
      from public.fine_tuned_models m
      where m.id = ${modelId} and m.created_by = ${auth.userId}`
  );
  if (!model) throw notFound("No such model.");

  for (const run of model.runs) await releaseProviderResources(modelId, auth.userId, run);

  // RLS's delete policy is the authority: only the owner's delete removes a row. The statement
  // locks the runs first, in the order a run's write takes them (run, then model), so a delete
  // during the creation work waits for it instead of deadlocking with it.
  const [{ deleted }] = await onDatabase((sql) =>
    sql<{ deleted: boolean }[]>`
      select private.delete_own_model(${sql.json(auth.claims as postgres.JSONValue)}, ${modelId}) as deleted`
  );
  if (!deleted) throw notFound("No such model.");
}

interface ProviderRun {
  provider: string;
  status: string;
  jobId: string | null;
  fineTunedModel: string | null;
}

/** Cancels a run's live job and deletes its fine-tuned model; never fatal: a fine-tune left behind is recorded. */
async function releaseProviderResources(modelId: string, ownerId: string, run: ProviderRun): Promise<void> {
  const provider = trainingProvider(run.provider);
  if (!provider.isAvailable()) {
    // No key here to delete it with: the fine-tune stays at its provider, so say so.
    if (!run.fineTunedModel) return;
    return await recordLeftover({
      provider: provider.name,
      fineTunedModel: run.fineTunedModel,
      jobId: run.jobId,
      formerModelId: modelId,
      formerOwner: ownerId,
      reason: `${provider.name} is not configured in this deployment (no API key): the fine-tune was not deleted`,
    });
  }
  let fineTunedModel = run.fineTunedModel;
  if (run.jobId && (run.status === "pending" || run.status === "training")) {
    await provider.cancelJob(run.jobId).catch((error) =>
      log.warn("could not cancel the provider job", { modelId, error })
    );
    // The job may have succeeded since the sync last looked: its model must not outlive the row.
    fineTunedModel ??= await provider.getJob(run.jobId).then(
      (job) => job.fineTunedModel,
      (error) => {
        log.warn("could not read the provider job", { modelId, error });
        return null;
      },
    );
  }
  if (fineTunedModel) {
    await provider.deleteModel(fineTunedModel, run.jobId).catch((error) => {
      if (!(error instanceof ProviderError)) return log.warn("could not delete the provider model", { modelId, error });
      return recordLeftover({
        provider: provider.name,
        fineTunedModel: fineTunedModel!,
        jobId: run.jobId,
        formerModelId: modelId,
        formerOwner: ownerId,
        reason: error.message,
      });
    });
  }
}
