import { readCatalogueEntries } from "../db/model-catalogue.ts";
import type { CatalogueEntry, ModelPurpose } from "../llm/model-rules.ts";
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

/** Reads every entry (dates as `YYYY-MM-DD`). */
export async function readCatalogue(): Promise<Catalogue> {
  return new Catalogue(await readCatalogueEntries());
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
