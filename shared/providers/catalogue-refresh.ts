import { today } from "../clock.ts";
import { withServiceTransaction } from "../db/client.ts";
import { env } from "../env.ts";
import { log } from "../log.ts";
import { forgetCatalogue } from "./catalogue.ts";
import { chatProvider, isChatProviderName } from "./chat-registry.ts";
import { chatProviderConfigured } from "./credentials.ts";
import { trainingProviderOrder } from "./training-order.ts";

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

async function refreshDue(provider: string, now: Date): Promise<boolean> {
  const [row] = await withServiceTransaction((tx) =>
    tx<{ due: boolean }[]>`
      select coalesce(max(listed_at), '-infinity') < ${now}::timestamptz - make_interval(mins => ${CATALOGUE_REFRESH_MINUTES}) as due
      from private.model_catalogue where provider = ${provider}`
  );
  return row.due;
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
      if (!options.force && !(await refreshDue(name, now))) continue;
      const provider = await chatProvider(name);
      const models = await provider.listModels();
      const rows = models.map((model) => ({
        model_id: model.id,
        shutdown_date: model.shutdownDate,
        ...provider.rulesFor(model.id),
      }));
      const named = namedModels(name).map((id) => ({ model_id: id, ...provider.rulesFor(id) }));
      const day = today().toISOString().slice(0, 10);
      await withServiceTransaction(async (tx) => {
        await tx`
          insert into private.model_catalogue as c
            (provider, model_id, token_parameter, temperature, takes_reasoning_effort, shutdown_date,
             shutdown_source, listed_at, refreshed_at)
          select ${name}, r.model_id, r."tokenParameter", r.temperature, r."takesReasoningEffort", r.shutdown_date,
                 case when r.shutdown_date is null then 'none' else 'provider' end, ${now}, ${now}
          from json_to_recordset(${tx.json(rows as never)}::json)
            as r (model_id text, shutdown_date date, "tokenParameter" text, temperature text, "takesReasoningEffort" boolean)
          on conflict (provider, model_id) do update set
            shutdown_date = case when c.shutdown_source = 'unlisted' then excluded.shutdown_date
                                 else coalesce(excluded.shutdown_date, c.shutdown_date) end,
            shutdown_source = case when excluded.shutdown_date is not null then 'provider'
                                   when c.shutdown_source = 'unlisted' then 'none' else c.shutdown_source end,
            listed_at = excluded.listed_at,
            refreshed_at = excluded.refreshed_at`;
        if (rows.length === 0) return;
        // A configured model the catalogue has never seen gets a row, so it can be dated below.
        await tx`
          insert into private.model_catalogue (provider, model_id, token_parameter, temperature, takes_reasoning_effort, refreshed_at)
          select ${name}, r.model_id, r."tokenParameter", r.temperature, r."takesReasoningEffort", ${now}
          from json_to_recordset(${tx.json(named as never)}::json)
            as r (model_id text, "tokenParameter" text, temperature text, "takesReasoningEffort" boolean)
          on conflict (provider, model_id) do nothing`;
        await tx`
          update private.model_catalogue c
          set shutdown_date = ${day}::date, shutdown_source = 'unlisted', refreshed_at = ${now}
          where c.provider = ${name}
            and c.listed_at is distinct from ${now}::timestamptz
            and (c.purposes && array['chat', 'teacher'] or c.model_id = any(${named.map((model) => model.model_id)}::text[]))
            and (c.shutdown_date is null or c.shutdown_date > ${day}::date)`;
      });
      result.refreshed.push(name);
    } catch (error) {
      log.warn("model catalogue refresh failed", { provider: name, error });
      result.failed.push(name);
    }
  }
  if (result.refreshed.length > 0) forgetCatalogue();
  return result;
}
