import type { UserAuth } from "../auth/identity.ts";
import { withServiceTransaction, withUserTransaction } from "../db/client.ts";
import { HttpError, notFound, validationFailed } from "../errors.ts";
import { type ModelRow, modelRowJson } from "../models/model-row.ts";
import { isTrainingProviderName } from "../providers/registry.ts";
import { MIN_TRAINING_EXAMPLES } from "../training/jsonl.ts";
import { runInBackground } from "./background.ts";
import { prepareTraining } from "./prepare-training.ts";
import { reserveTrainings } from "./quotas.ts";

/** What a retrain started: the model as the owner now sees it, and the new run. */
export interface RetrainStarted {
  model: ModelRow;
  runId: string;
}

/**
 * Starts a new training run of an own model from its stored examples, on `provider` (default: the
 * model's current one). Chat stays on the live fine-tune until the new run completes (the run
 * mirror keeps it). One run at a time: a run in flight is a 409; past the owner's trainings in
 * flight it waits in the training queue, and past the queued allowance too it is a 429. The work (training file, upload,
 * job) runs in the background as creation does, and the sync resumes it when that dies.
 */
export async function retrainModel(auth: UserAuth, modelId: string, provider?: string): Promise<RetrainStarted> {
  // Ownership under RLS: another user's model, public or not, is a 404.
  const [owned] = await withUserTransaction(auth, (tx) =>
    tx<{ provider: string; base_model: string | null; examples: number }[]>`
      select m.provider, m.base_model,
             (select count(*)::int from public.training_examples e where e.model_id = m.id) as examples
      from public.fine_tuned_models m
      where m.id = ${modelId} and m.created_by = ${auth.userId}`
  );
  if (!owned) throw notFound("No such model.");
  const trainWith = provider ?? owned.provider;
  if (!isTrainingProviderName(trainWith)) {
    throw validationFailed([{ path: ["provider"], message: `Not a training provider of this deployment: ${trainWith}` }]);
  }
  if (owned.examples < MIN_TRAINING_EXAMPLES) {
    throw new HttpError(
      422,
      "too_few_examples",
      `A training run needs at least ${MIN_TRAINING_EXAMPLES} examples; this model has ${owned.examples}.`,
    );
  }

  // Runs are the service's to write. The model row's lock makes "none in flight" and the insert one step.
  const runId = await withServiceTransaction(async (tx) => {
    await tx`select id from private.fine_tuned_models where id = ${modelId} for update`;
    const [inFlight] = await tx`
      select id from public.training_runs where model_id = ${modelId} and status in ('pending', 'training')`;
    if (inFlight) return null;
    // The owner's unfinished trainings, under their plan (429 past in flight plus queued; the rollback takes nothing).
    await reserveTrainings(tx, auth.userId, { models: 0, trainings: 1 });
    // The model's base names a model of its own provider: another provider trains on its default.
    const [run] = await tx<{ id: string }[]>`
      insert into public.training_runs (model_id, provider, base_model)
      values (${modelId}, ${trainWith}, ${trainWith === owned.provider ? owned.base_model : null})
      returning id`;
    return run.id;
  });

  const [model] = await withUserTransaction(auth, (tx) =>
    tx<{ model: ModelRow }[]>`select ${modelRowJson(tx)} as model from public.fine_tuned_models m where m.id = ${modelId}`
  );
  if (!model) throw notFound("No such model.");
  if (!runId) {
    throw new HttpError(409, "training_in_progress", "The model is already training; retrain once that run has finished.", {
      extra: { model: model.model },
    });
  }

  runInBackground("retrain", () => prepareTraining(modelId));
  return { model: model.model, runId };
}
