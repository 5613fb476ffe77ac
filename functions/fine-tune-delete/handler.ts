import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { deleteModel } from "../../shared/lifecycle/delete-model.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";
import { errorBody } from "../../shared/errors.ts";
import { modelDeletedResponse } from "../../shared/models/responses.ts";

/** DELETE /fine-tune-delete/:modelId — owner only; others get 404 so private models stay invisible. */
export default defineEndpoint({
  name: "fine-tune-delete",
  methods: ["DELETE"],
  auth: "user",
  path: modelIdPath,
  params: modelIdParams,
  summary: "Delete an own model",
  description: "Cancels its training job and deletes the provider's model where it can; its chats go too.",
  responses: {
    200: { description: "Deleted", schema: modelDeletedResponse },
    404: { description: "No such model, or not the caller's", schema: errorBody },
  },
  async handle({ auth, params: { modelId } }) {
    await deleteModel(auth, modelId);
    return { body: { message: "Model deleted." } };
  },
});
