import type { ListedModel } from "../chat-provider.ts";
import { compatibleClient } from "./client.ts";
import { compatibleFailure } from "./errors.ts";

/**
 * GET {COMPATIBLE_BASE_URL}/models, every page: the ids the endpoint serves. A compatible endpoint
 * states no shutdown dates (Cohere retires models on its deprecations page, not in this list).
 */
export async function listCompatibleModels(): Promise<ListedModel[]> {
  const listed: ListedModel[] = [];
  try {
    for await (const model of (await compatibleClient()).models.list()) {
      if (typeof model.id === "string" && model.id) listed.push({ id: model.id, shutdownDate: null });
    }
  } catch (error) {
    throw compatibleFailure(error, "listing the provider's models");
  }
  return listed;
}
