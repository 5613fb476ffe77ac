import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { createModel, defaultBaseModel, estimatedTimeFor } from "../../shared/lifecycle/create-model.ts";
import { createQuickBody, MAX_CREATE_BODY_BYTES } from "../../shared/models/create-schemas.ts";
import { quickCreatedModelResponse, modelConflictError, creationQuotaResponse } from "../../shared/models/responses.ts";

/** POST /fine-tune-quick — an author or character from a short description: fewer examples and epochs. */
export default defineEndpoint({
  name: "fine-tune-quick",
  methods: ["POST"],
  auth: "user",
  body: createQuickBody,
  maxBodyBytes: MAX_CREATE_BODY_BYTES,
  summary: "Create an author or character from a short description",
  description: "Fewer training examples and epochs than the full creates; answers at once.",
  responses: {
    202: { description: "Accepted: the `pending` model; the style guide, examples and training job follow in the background", schema: quickCreatedModelResponse },
    409: { description: "A live model for this owner, type, book and entity exists: it is `model`", schema: modelConflictError },
    429: creationQuotaResponse,
  },
  async handle({ auth, body }) {
    const model = await createModel(auth, {
      type: body.type,
      name: body.entityName,
      entityName: body.entityName,
      entityId: body.entityId ?? null,
      bookId: body.bookId,
      bookInfo: body.bookInfo,
      description: body.description,
      isPublic: body.isPublic,
      quickTune: true,
      baseModel: body.baseModel ?? defaultBaseModel(),
      examples: body.examples,
      voice: body.voice,
    });
    const estimatedTime = estimatedTimeFor(true);
    return {
      status: 202,
      body: { model, quickTune: true, jobInfo: { jobId: model.openai_job_id, estimatedTime }, estimatedTime },
    };
  },
});
