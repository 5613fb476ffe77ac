import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { env } from "../../shared/env.ts";
import { createModel, estimatedTimeFor } from "../../shared/lifecycle/create-model.ts";
import { createCharacterBody } from "../../shared/models/create-schemas.ts";

/** POST /fine-tune-character — an AI that speaks as one of the book's characters. */
export default defineEndpoint({
  name: "fine-tune-character",
  methods: ["POST"],
  auth: "user",
  body: createCharacterBody,
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
      baseModel: body.baseModel ?? env().FINE_TUNE_BASE_MODEL,
    });
    const estimatedTime = estimatedTimeFor(false);
    return { status: 202, body: { model, jobInfo: { jobId: model.openai_job_id, estimatedTime }, estimatedTime } };
  },
});
