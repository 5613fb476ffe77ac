import { withUserTransaction } from "../../shared/db/client.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { errorBody, notFound } from "../../shared/errors.ts";
import { type ModelRow, modelRowJson } from "../../shared/models/model-row.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";
import { modelStatusResponse } from "../../shared/models/responses.ts";
import { queuePlace } from "../../shared/lifecycle/training-slots.ts";
import { trainingNotice } from "../../shared/lifecycle/training-access.ts";

/**
 * GET /fine-tune-status/:modelId — `{ status, model, ready, progress, queue, trainingNotice }`; 404 for a model
 * you may not see. `queue` is the current run's place while it waits for a provider slot. `progress` is the provider job as last seen on the current training run: the owner's
 * to read (RLS on training_runs), null for anyone else and before a job exists. `trainingNotice` is
 * the deployment's first training provider's remembered refusal of its account (null when none).
 */
export default defineEndpoint({
  name: "fine-tune-status",
  methods: ["GET"],
  auth: "user",
  path: modelIdPath,
  params: modelIdParams,
  summary: "A model's status",
  responses: {
    200: { description: "The model and whether it is ready to answer in its final mode", schema: modelStatusResponse },
    404: { description: "No such model, or one the caller may not see", schema: errorBody },
  },
  async handle({ auth, params: { modelId } }) {
    const [row] = await withUserTransaction(auth, (tx) =>
      tx<{ model: ModelRow; progress: Record<string, unknown> | null; waiting_run: string | null }[]>`
        select ${modelRowJson(tx)} as model, r.progress,
               case when r.status = 'pending' and r.queued_at is not null and r.slot_taken_at is null
                         and r.provider_job_id is null then r.id end as waiting_run
        from public.fine_tuned_models m
        left join lateral (select c.id, c.progress, c.status, c.queued_at, c.slot_taken_at, c.provider_job_id
                           from public.training_runs c
                           where c.model_id = m.id order by c.created_at desc limit 1) r on true
        where m.id = ${modelId}`
    );
    if (!row) throw notFound("No such model.");
    const { model, progress } = row;
    // Runs are the owner's to read (RLS): only the owner ever sees a waiting run, so only they get its place.
    const [queue, notice] = await Promise.all([row.waiting_run ? queuePlace(row.waiting_run) : null, trainingNotice()]);
    return {
      body: {
        status: model.status,
        model,
        // Training is over: the model answers in its final mode (fine-tuned or persona).
        ready: model.status === "completed" || model.status === "ready",
        progress,
        queue,
        trainingNotice: notice,
      },
    };
  },
});
