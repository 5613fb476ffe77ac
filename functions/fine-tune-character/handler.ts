import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { createModel, defaultBaseModel, estimatedTimeFor } from "../../shared/lifecycle/create-model.ts";
import { createCharacterBody, MAX_CREATE_BODY_BYTES } from "../../shared/models/create-schemas.ts";
import { createdModelResponse, modelConflictError, creationQuotaResponse } from "../../shared/models/responses.ts";

/** POST /fine-tune-character — an AI that speaks as one of the book's characters. */
export default defineEndpoint({
  name: "fine-tune-character",
  methods: ["POST"],
  auth: "user",
  body: createCharacterBody,
  maxBodyBytes: MAX_CREATE_BODY_BYTES,
  summary: "Create an AI that speaks as one of the book's characters",
  description: "Writes a `pending` model and answers at once; training (or persona mode) follows in the background.",
  responses: {
    202: { description: "Accepted: the `pending` model; the style guide, examples and training job follow in the background", schema: createdModelResponse },
    409: { description: "A live model for this owner, type, book and entity exists: it is `model`", schema: modelConflictError },
    429: creationQuotaResponse,
  },
  async handle({ auth, body }) {
    const model = await createModel(auth, {
      type: "character",
      name: body.characterName,
      entityName: body.characterName,
      entityId: body.entityId ?? null,
      bookId: body.bookId,
      bookInfo: body.bookInfo,
      description: body.characterDescription,
      isPublic: body.isPublic,
      quickTune: false,
      baseModel: body.baseModel ?? defaultBaseModel(),
      examples: body.examples,
      voice: body.voice,
    });
    const estimatedTime = estimatedTimeFor(false);
    return { status: 202, body: { model, jobInfo: { jobId: model.openai_job_id, estimatedTime }, estimatedTime } };
  },
});
