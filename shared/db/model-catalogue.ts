import type { CatalogueEntry, ModelPurpose, ModelRules } from "../llm/model-rules.ts";
import { withServiceTransaction } from "./client.ts";

/** The model catalogue's storage (`private.model_catalogue`): its reads and a provider list's write. */

interface CatalogueRow {
  provider: string;
  model_id: string;
  purposes: ModelPurpose[];
  token_parameter: ModelRules["tokenParameter"];
  temperature: ModelRules["temperature"];
  takes_reasoning_effort: boolean;
  shutdown_date: string | null;
  shutdown_source: CatalogueEntry["shutdownSource"];
  fine_tuning_closes_on: string | null;
}

/** Every entry (dates as `YYYY-MM-DD`), by provider, the longest-lived first. */
export async function readCatalogueEntries(): Promise<CatalogueEntry[]> {
  const rows = await withServiceTransaction((tx) =>
    tx<CatalogueRow[]>`
      select provider, model_id, purposes, token_parameter, temperature, takes_reasoning_effort,
             to_char(shutdown_date, 'YYYY-MM-DD') as shutdown_date, shutdown_source,
             to_char(fine_tuning_closes_on, 'YYYY-MM-DD') as fine_tuning_closes_on
      from private.model_catalogue
      order by provider, shutdown_date desc nulls first, model_id`
  );
  return rows.map((row) => ({
    provider: row.provider,
    modelId: row.model_id,
    purposes: row.purposes,
    rules: {
      tokenParameter: row.token_parameter,
      temperature: row.temperature,
      takesReasoningEffort: row.takes_reasoning_effort,
    },
    shutdownDate: row.shutdown_date,
    shutdownSource: row.shutdown_source,
    fineTuningClosesOn: row.fine_tuning_closes_on,
  }));
}

/** True when `provider`'s list was last read more than `minutes` before `now` (or never). */
export async function catalogueListIsDue(provider: string, now: Date, minutes: number): Promise<boolean> {
  const [row] = await withServiceTransaction((tx) =>
    tx<{ due: boolean }[]>`
      select coalesce(max(listed_at), '-infinity') < ${now}::timestamptz - make_interval(mins => ${minutes}) as due
      from private.model_catalogue where provider = ${provider}`
  );
  return row.due;
}

/** A model as a provider's list (or this deployment's settings) names it, with its family's rules. */
export type ListedModel = ModelRules & { model_id: string; shutdown_date?: string | null };

/**
 * Stores one read of `provider`'s model list at `now` (see `refreshCatalogue` for the rules):
 * listed models are upserted; with a non-empty list, `named` models the catalogue has never seen get
 * a row, and chat or teacher models the list no longer names are dated as shut down on `day`.
 */
export async function storeModelList(
  provider: string,
  listed: ListedModel[],
  named: ListedModel[],
  now: Date,
  day: string,
): Promise<void> {
  await withServiceTransaction(async (tx) => {
    await tx`
      insert into private.model_catalogue as c
        (provider, model_id, token_parameter, temperature, takes_reasoning_effort, shutdown_date,
         shutdown_source, listed_at, refreshed_at)
      select ${provider}, r.model_id, r."tokenParameter", r.temperature, r."takesReasoningEffort", r.shutdown_date,
             case when r.shutdown_date is null then 'none' else 'provider' end, ${now}, ${now}
      from json_to_recordset(${tx.json(listed as never)}::json)
        as r (model_id text, shutdown_date date, "tokenParameter" text, temperature text, "takesReasoningEffort" boolean)
      on conflict (provider, model_id) do update set
        shutdown_date = case when c.shutdown_source = 'unlisted' then excluded.shutdown_date
                             else coalesce(excluded.shutdown_date, c.shutdown_date) end,
        shutdown_source = case when excluded.shutdown_date is not null then 'provider'
                               when c.shutdown_source = 'unlisted' then 'none' else c.shutdown_source end,
        listed_at = excluded.listed_at,
        refreshed_at = excluded.refreshed_at`;
    if (listed.length === 0) return;
    // A configured model the catalogue has never seen gets a row, so it can be dated below.
    await tx`
      insert into private.model_catalogue (provider, model_id, token_parameter, temperature, takes_reasoning_effort, refreshed_at)
      select ${provider}, r.model_id, r."tokenParameter", r.temperature, r."takesReasoningEffort", ${now}
      from json_to_recordset(${tx.json(named as never)}::json)
        as r (model_id text, "tokenParameter" text, temperature text, "takesReasoningEffort" boolean)
      on conflict (provider, model_id) do nothing`;
    await tx`
      update private.model_catalogue c
      set shutdown_date = ${day}::date, shutdown_source = 'unlisted', refreshed_at = ${now}
      where c.provider = ${provider}
        and c.listed_at is distinct from ${now}::timestamptz
        and (c.purposes && array['chat', 'teacher'] or c.model_id = any(${named.map((model) => model.model_id)}::text[]))
        and (c.shutdown_date is null or c.shutdown_date > ${day}::date)`;
  });
}
