import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { defineRoutes } from "../../shared/http/routes.ts";
import { errorBody } from "../../shared/errors.ts";
import { createCast, readCast } from "../../shared/lifecycle/create-cast.ts";
import { defaultBaseModel, estimatedTimeFor } from "../../shared/lifecycle/create-model.ts";
import {
  batchIdParams,
  batchIdPath,
  castBatchResponse,
  castCreatedResponse,
  createCastBody,
  MAX_CAST_BODY_BYTES,
} from "../../shared/models/cast-schemas.ts";

const name = "fine-tune-cast";

/**
 * A book's whole cast at once: POST creates the author and up to twenty characters under one batch,
 * each through the same create as the single endpoints; GET /:batchId follows each member.
 */
export default defineRoutes(
  defineEndpoint({
    name,
    methods: ["POST"],
    auth: "user",
    body: createCastBody,
    maxBodyBytes: MAX_CAST_BODY_BYTES,
    summary: "Create a book's author and characters at once",
    description: "Up to 20 members, the author included, each created like a single create (quick or full, " +
      "quotas, the training queue). The whole request is checked first: any bad entry is a 422 naming it " +
      "(path `[\"characters\", 3, \"name\"]`) and nothing is written. Then each member is created in order and " +
      "reported on its own: `created`, `exists` (a live model for this persona was already there: the single " +
      "create's 409, with that model) or `refused` (e.g. a quota: `error.status` 429 with `resetAt`), without " +
      "failing the others.",
    responses: {
      202: { description: "Accepted: the batch with each member's outcome and model", schema: castCreatedResponse },
    },
    async handle({ auth, body }) {
      const batch = await createCast(auth, body, body.baseModel ?? defaultBaseModel());
      return { status: 202, body: { batchId: batch.id, batch, estimatedTime: estimatedTimeFor(body.quickTune) } };
    },
  }),
  defineEndpoint({
    name,
    methods: ["GET"],
    auth: "user",
    path: batchIdPath,
    params: batchIdParams,
    summary: "A cast batch and each member's status",
    description: "Each member with its outcome and its model as it is now (`model.status`); only the user who " +
      "asked for the cast (anyone else's batch is a 404).",
    responses: {
      200: { description: "The batch", schema: castBatchResponse },
      404: { description: "No such batch, or not the caller's", schema: errorBody },
    },
    async handle({ auth, params: { batchId } }) {
      return { body: { batch: await readCast(auth, batchId) } };
    },
  }),
);
