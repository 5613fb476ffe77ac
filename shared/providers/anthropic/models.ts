import type { ListedModel } from "../chat-provider.ts";
import { anthropic } from "./client.ts";
import { toProviderError } from "./errors.ts";

/**
 * GET /v1/models, every page: the active and deprecated models (retired ones are left out unless
 * asked for), each deprecated one with the day it retires (`retires_at`).
 */
export async function listAnthropicModels(): Promise<ListedModel[]> {
  const models: ListedModel[] = [];
  try {
    for await (const model of anthropic().models.list({ limit: 100 })) {
      if (model.lifecycle === "retired") continue;
      models.push({ id: model.id, shutdownDate: model.retires_at ? model.retires_at.slice(0, 10) : null });
    }
  } catch (error) {
    throw toProviderError(error, "listing the provider's models");
  }
  return models;
}
