import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { errorBody } from "../../shared/errors.ts";
import { estimatedTimeFor } from "../../shared/lifecycle/create-model.ts";
import { retrainModel } from "../../shared/lifecycle/retrain-model.ts";
import { modelConflictError, creationQuotaResponse } from "../../shared/models/responses.ts";
import { retrainBody, retrainStartedResponse } from "../../shared/models/retrain-schemas.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";

/**
 * POST /fine-tune-retrain/:modelId — a new training run of an own model from its stored examples.
 * Chat keeps the live fine-tune until the new run completes, then switches.
 */
export default defineEndpoint({
  name: "fine-tune-retrain",
  methods: ["POST"],
  auth: "user",
  path: modelIdPath,
  params: modelIdParams,
  body: retrainBody,
  summary: "Retrain an own model on its current examples",
  description: "Starts a new training run (file, upload and job in the background); the model shows it while " +
    "chat stays on the completed fine-tune until the run completes. 409 while a run is in flight; 422 " +
    "`too_few_examples` below the provider's minimum.",
  responses: {
    202: { description: "The run started", schema: retrainStartedResponse },
    404: { description: "No such model, or not the caller's", schema: errorBody },
    409: { description: "A training run of this model is in flight", schema: modelConflictError },
    429: creationQuotaResponse,
  },
  async handle({ auth, params: { modelId }, body }) {
    const { model, runId } = await retrainModel(auth, modelId, body.provider);
    return { status: 202, body: { model, runId, estimatedTime: estimatedTimeFor(model.quick_tune) } };
  },
});
