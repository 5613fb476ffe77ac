import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { env } from "../../shared/env.ts";
import { createModel, estimatedTimeFor } from "../../shared/lifecycle/create-model.ts";
import { createAuthorBody } from "../../shared/models/create-schemas.ts";

/** POST /fine-tune-author — an AI that speaks as the book's author; trains in the background. */
export default defineEndpoint({
  name: "fine-tune-author",
  methods: ["POST"],
  auth: "user",
  body: createAuthorBody,
  async handle({ auth, body }) {
    const model = await createModel(auth, {
      type: "author",
      name: body.authorName,
      entityName: body.authorName,
      entityId: null,
      bookId: body.bookId,
      bookInfo: { ...body.bookInfo, author: body.authorName },
      description: null,
      isPublic: body.isPublic,
      quickTune: false,
      baseModel: body.baseModel ?? env().FINE_TUNE_BASE_MODEL,
    });
    const estimatedTime = estimatedTimeFor(false);
    return { status: 202, body: { model, jobInfo: { jobId: model.openai_job_id, estimatedTime }, estimatedTime } };
  },
});
