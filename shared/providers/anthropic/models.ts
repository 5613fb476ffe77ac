import type { ListedModel } from "../chat-provider.ts";
import { anthropic } from "./client.ts";
import { toProviderError } from "./errors.ts";

/** GET /v1/models, every page. Anthropic states no shutdown dates: the catalogue's table keeps them. */
export async function listAnthropicModels(): Promise<ListedModel[]> {
  const models: ListedModel[] = [];
  try {
    for await (const model of anthropic().models.list({ limit: 100 })) {
      models.push({ id: model.id, shutdownDate: null });
    }
  } catch (error) {
    throw toProviderError(error, "listing the provider's models");
  }
  return models;
}
