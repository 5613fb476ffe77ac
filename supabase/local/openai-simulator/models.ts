/**
 * `/v1/models`: the list (base models with their `shutdown_date`, and the fine-tunes jobs have
 * produced); retrieve and delete a fine-tuned model.
 */
import { http } from "msw";
import type OpenAI from "openai";
import { errorResponse, jsonResponse } from "./responses.ts";
import { isShutDownAt, SIM_BASE_MODELS } from "./model-list.ts";
import type { SimState } from "./state.ts";
import { toUnixSeconds } from "./state.ts";

/** Handlers for the model endpoints. */
export function modelHandlers(state: SimState) {
  const createdAt = (modelId: string) => {
    for (const job of state.jobs.values()) {
      if (job.schedule.modelName === modelId) return job.finished_at ?? job.created_at;
    }
    return toUnixSeconds(state.now());
  };

  return [
    http.get("*/v1/models", () => {
      const day = state.today();
      const bases = SIM_BASE_MODELS.filter((model) => !isShutDownAt(model.id, day))
        .map((model): ListedModel => ({ ...model, object: "model", owned_by: "system" }));
      const fineTunes = [...state.fineTunedModels]
        .filter((modelId) => !state.retiredModels.has(modelId) && !isShutDownAt(modelId, day))
        .map((modelId): ListedModel => ({ id: modelId, object: "model", created: createdAt(modelId), owned_by: "storyvoice-sim" }));
      return jsonResponse({ object: "list", data: [...bases, ...fineTunes] });
    }),

    http.get<{ modelId: string }>("*/v1/models/:modelId", ({ params }) => {
      const modelId = decodePathSegment(params.modelId);
      if (!state.fineTunedModels.has(modelId)) return modelNotFound(modelId);
      return jsonResponse({ id: modelId, object: "model", created: createdAt(modelId), owned_by: "storyvoice-sim" } satisfies OpenAI.Models.Model);
    }),

    http.delete<{ modelId: string }>("*/v1/models/:modelId", ({ params }) => {
      const modelId = decodePathSegment(params.modelId);
      if (state.modelDeletionRefused && state.fineTunedModels.has(modelId)) {
        // Only an organisation Owner may delete a fine-tuned model (OpenAI's reference for DELETE /models).
        return errorResponse(403, "You must have the Owner role in your organization to delete a model.", {
          code: "insufficient_permissions",
        });
      }
      if (!state.fineTunedModels.delete(modelId)) return modelNotFound(modelId);
      return jsonResponse({ id: modelId, object: "model", deleted: true } satisfies OpenAI.Models.ModelDeleted);
    }),
  ];
}

/** A listed model: OpenAI's `Model`, with the `shutdown_date` its list carries (not in the SDK's type). */
type ListedModel = OpenAI.Models.Model & { shutdown_date?: string | null };

/** Model ids contain colons, which some clients percent-encode. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** OpenAI's answer for a model that does not exist, or no longer does. */
export function modelNotFound(modelId: string): Response {
  return errorResponse(404, `The model \`${modelId}\` does not exist or you do not have access to it.`, {
    code: "model_not_found",
  });
}
