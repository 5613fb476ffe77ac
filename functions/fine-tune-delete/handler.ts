import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { deleteModel } from "../../shared/lifecycle/delete-model.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";

/** DELETE /fine-tune-delete/:modelId — owner only; others get 404 so private models stay invisible. */
export default defineEndpoint({
  name: "fine-tune-delete",
  methods: ["DELETE"],
  auth: "user",
  path: modelIdPath,
  params: modelIdParams,
  async handle({ auth, params: { modelId } }) {
    await deleteModel(auth, modelId);
    return { body: { message: "Model deleted." } };
  },
});
