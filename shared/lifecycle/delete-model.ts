import { withUserTransaction } from "../db/client.ts";
import type { UserAuth } from "../auth/identity.ts";
import { notFound } from "../errors.ts";
import { log } from "../log.ts";
import { trainingProvider } from "../providers/registry.ts";

/**
 * Deletes an own model: cancels a running provider job and deletes the provider's fine-tuned model
 * where it can (a provider failure is logged, never blocks the delete), then the row; its chats go
 * with it (on delete cascade). Another user's model is 404 whether public or not: only the owner
 * may know it can be deleted.
 */
export async function deleteModel(auth: UserAuth, modelId: string): Promise<void> {
  const [model] = await withUserTransaction(auth, (tx) =>
    tx<{ provider: string; status: string; openai_job_id: string | null; openai_model_id: string | null }[]>`
      select provider, status, openai_job_id, openai_model_id
      from public.fine_tuned_models
      where id = ${modelId} and created_by = ${auth.userId}`
  );
  if (!model) throw notFound("No such model.");

  const provider = trainingProvider(model.provider);
  if (provider.isAvailable()) {
    let fineTunedModel = model.openai_model_id;
    if (model.openai_job_id && (model.status === "pending" || model.status === "training")) {
      await provider.cancelJob(model.openai_job_id).catch((error) =>
        log.warn("could not cancel the provider job", { modelId, error })
      );
      // The job may have succeeded since the sync last looked: its model must not outlive the row.
      fineTunedModel ??= await provider.getJob(model.openai_job_id).then(
        (job) => job.fineTunedModel,
        (error) => {
          log.warn("could not read the provider job", { modelId, error });
          return null;
        },
      );
    }
    if (fineTunedModel) {
      await provider.deleteModel(fineTunedModel).catch((error) =>
        log.warn("could not delete the provider model", { modelId, error })
      );
    }
  }

  // RLS's delete policy is the authority: only the owner's delete removes a row.
  const deleted = await withUserTransaction(auth, (tx) =>
    tx`delete from public.fine_tuned_models where id = ${modelId} returning id`
  );
  if (deleted.length === 0) throw notFound("No such model.");
}
