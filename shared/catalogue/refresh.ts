import { today } from "../clock.ts";
import { catalogueListIsDue, storeModelList } from "../db/model-catalogue.ts";
import { env } from "../env.ts";
import { log } from "../log.ts";
import { chatProvider, isChatProviderName } from "../providers/chat-registry.ts";
import { chatProviderConfigured } from "../providers/credentials.ts";
import { trainingProviderOrder } from "../providers/training-order.ts";
import { forgetCatalogue } from "./current.ts";

/** A provider's model list is asked at most this often: dates are announced months ahead. */
export const CATALOGUE_REFRESH_MINUTES = 60;

/** What one refresh did: the providers asked, and those that could not be. */
export interface CatalogueRefresh {
  refreshed: string[];
  failed: string[];
}

/** The providers this deployment sends requests to, which have a key and a model list. */
function providersInUse(): string[] {
  const names = new Set([env().CHAT_PROVIDER, ...trainingProviderOrder()]);
  return [...names].filter((name) => isChatProviderName(name) && chatProviderConfigured(name));
}

/** The chat and teacher models this deployment names at `provider` (configured or default). */
function namedModels(provider: string): string[] {
  const settings = env();
  return settings.CHAT_PROVIDER === provider ? [...new Set([settings.CHAT_MODEL, settings.TEACHER_MODEL])] : [];
}

/**
 * Reads each provider's model list into the catalogue (the training sync calls it every run; a
 * provider is asked once an hour unless `force`). A stated `shutdown_date` replaces the fallback
 * table's; a model seen for the first time gets its family's rules and no purpose (an admin gives
 * it one). A chat or teacher model the list no longer names (or never did, for a configured one)
 * is dated as shut down that day (`unlisted`), and lives again if the list names it again. An
 * empty list says nothing. A provider that fails is logged and reported, and its rows stay.
 */
export async function refreshCatalogue(options: { now?: Date; force?: boolean } = {}): Promise<CatalogueRefresh> {
  const now = options.now ?? new Date();
  const result: CatalogueRefresh = { refreshed: [], failed: [] };
  for (const name of providersInUse()) {
    try {
      if (!options.force && !(await catalogueListIsDue(name, now, CATALOGUE_REFRESH_MINUTES))) continue;
      const provider = await chatProvider(name);
      const models = await provider.listModels();
      const rows = models.map((model) => ({
        model_id: model.id,
        shutdown_date: model.shutdownDate,
        ...provider.rulesFor(model.id),
      }));
      const named = namedModels(name).map((id) => ({ model_id: id, ...provider.rulesFor(id) }));
      const day = today().toISOString().slice(0, 10);
      await storeModelList(name, rows, named, now, day);
      result.refreshed.push(name);
    } catch (error) {
      log.warn("model catalogue refresh failed", { provider: name, error });
      result.failed.push(name);
    }
  }
  if (result.refreshed.length > 0) forgetCatalogue();
  return result;
}
