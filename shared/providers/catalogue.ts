import { withServiceTransaction } from "../db/client.ts";
import type { CatalogueEntry, ModelPurpose, ModelRules } from "../llm/model-rules.ts";
import { log } from "../log.ts";

/**
 * The model catalogue (`private.model_catalogue`) as this process last read it. Chat reads it on
 * every turn, so it is kept for a minute: a refresh reaches every instance within a minute, and a
 * date a day away is never missed.
 */
export const CATALOGUE_CACHE_MS = 60_000;

/** A read of the catalogue: entries by provider and model. */
export class Catalogue {
  readonly #entries = new Map<string, CatalogueEntry>();

  constructor(readonly entries: readonly CatalogueEntry[]) {
    for (const entry of entries) this.#entries.set(`${entry.provider}\u0000${entry.modelId}`, entry);
  }

  /** The entry of one model, if the catalogue has it. */
  entry(provider: string, modelId: string): CatalogueEntry | undefined {
    return this.#entries.get(`${provider}\u0000${modelId}`);
  }

  /** A provider's models that may serve `purpose`, in the catalogue's order. */
  withPurpose(provider: string, purpose: ModelPurpose): CatalogueEntry[] {
    return this.entries.filter((entry) => entry.provider === provider && entry.purposes.includes(purpose));
  }
}

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

/** Reads every entry (dates as `YYYY-MM-DD`). */
export async function readCatalogue(): Promise<Catalogue> {
  const rows = await withServiceTransaction((tx) =>
    tx<CatalogueRow[]>`
      select provider, model_id, purposes, token_parameter, temperature, takes_reasoning_effort,
             to_char(shutdown_date, 'YYYY-MM-DD') as shutdown_date, shutdown_source,
             to_char(fine_tuning_closes_on, 'YYYY-MM-DD') as fine_tuning_closes_on
      from private.model_catalogue
      order by provider, shutdown_date desc nulls first, model_id`
  );
  return new Catalogue(rows.map((row) => ({
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
  })));
}

let cached: { catalogue: Catalogue; readAt: number } | undefined;

/**
 * The catalogue, read at most once a minute. When the database cannot be read, the last read is
 * used; without one, an empty catalogue (configured models go out as configured, by their
 * family's rules) and a warning.
 */
export async function currentCatalogue(): Promise<Catalogue> {
  if (cached && Date.now() - cached.readAt < CATALOGUE_CACHE_MS) return cached.catalogue;
  try {
    const catalogue = await readCatalogue();
    cached = { catalogue, readAt: Date.now() };
    return catalogue;
  } catch (error) {
    log.warn("model catalogue unreadable; using the last read", { error, hasLastRead: Boolean(cached) });
    return cached?.catalogue ?? new Catalogue([]);
  }
}

/** Forgets the cached read, so the next use reads again (after a refresh). */
export function forgetCatalogue(): void {
  cached = undefined;
}
