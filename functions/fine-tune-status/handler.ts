import { withUserTransaction } from "../../shared/db/client.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { errorBody, notFound } from "../../shared/errors.ts";
import { type ModelRow, modelRowJson } from "../../shared/models/model-row.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";
import { modelStatusResponse } from "../../shared/models/responses.ts";

/**
 * GET /fine-tune-status/:modelId — `{ status, model, ready, progress }`; 404 for a model you may
 * not see. `progress` is the provider job as last seen on the current training run: the owner's
 * to read (RLS on training_runs), null for anyone else and before a job exists.
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
      tx<{ model: ModelRow; progress: Record<string, unknown> | null }[]>`
        select ${modelRowJson(tx)} as model,
               (select r.progress from public.training_runs r
                where r.model_id = m.id order by r.created_at desc limit 1) as progress
        from public.fine_tuned_models m
        where m.id = ${modelId}`
    );
    if (!row) throw notFound("No such model.");
    const { model, progress } = row;
    return {
      body: {
        status: model.status,
        model,
        // Training is over: the model answers in its final mode (fine-tuned or persona).
        ready: model.status === "completed" || model.status === "ready",
        progress,
      },
    };
  },
});
