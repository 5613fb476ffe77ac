import { today } from "../clock.ts";
import { env } from "../env.ts";
import { newestFirst, sameFamily } from "../llm/model-family.ts";
import { type CatalogueEntry, daysUntil, isNearShutdown, isShutDown, type ModelPurpose, type ModelRules } from "../llm/model-rules.ts";
import { log } from "../log.ts";
import { chatProvider, isChatProviderName } from "../providers/chat-registry.ts";
import { trainingProviderOrder } from "../providers/training-order.ts";
import { type Catalogue, currentCatalogue } from "./current.ts";

/**
 * Which model a request goes to, decided by the catalogue as of a given day (by default the
 * clock's `today()`): a model past its shutdown date is never chosen, so no request is sent to it.
 */

/** A model a request may go to, with its provider and its parameter rules. */
export interface ModelChoice {
  provider: string;
  model: string;
  rules: ModelRules;
  /** The price-table row its chat prices as, where not the model's own (a fine-tune on a dedicated hosting). */
  priceModel?: string;
}

/** A configured (or default) model that shuts down within 30 days, has, or left the provider's list. */
export interface ModelWarning {
  setting: string;
  provider: string;
  model: string;
  shutdownDate: string;
  daysLeft: number;
  /** True when the date is the day the provider's model list stopped naming it. */
  unlisted: boolean;
  /** The live model requests go to instead, once this one is dead (null: it still answers, or none is left). */
  replacement: string | null;
}

let reported = false;

/** The catalogue, with the loud report of configured models once per process (its start). */
async function catalogueForRequests(): Promise<Catalogue> {
  const catalogue = await currentCatalogue();
  if (!reported && catalogue.entries.length > 0) {
    reported = true;
    logWarnings(configuredModelWarnings(catalogue, today()));
  }
  return catalogue;
}

function logWarnings(warnings: ModelWarning[]) {
  for (const warning of warnings) {
    const gone = warning.daysLeft <= 0;
    const headline = warning.unlisted
      ? "CONFIGURED MODEL IS NOT IN THE PROVIDER'S MODEL LIST"
      : gone
      ? "CONFIGURED MODEL HAS SHUT DOWN"
      : "CONFIGURED MODEL SHUTS DOWN SOON";
    log.error(headline, { ...warning });
  }
}

/** What a chat or teacher setting asks for: a configured model, or a default naming its family. */
interface ModelPreference {
  setting: "CHAT_MODEL" | "TEACHER_MODEL";
  provider: string;
  model: string;
  isDefault: boolean;
  purpose: ModelPurpose;
}

function preferences(): ModelPreference[] {
  const settings = env();
  return [
    { setting: "CHAT_MODEL", provider: settings.CHAT_PROVIDER, model: settings.CHAT_MODEL, isDefault: settings.CHAT_MODEL_IS_DEFAULT, purpose: "chat" },
    {
      setting: "TEACHER_MODEL",
      provider: settings.CHAT_PROVIDER,
      model: settings.TEACHER_MODEL,
      isDefault: settings.TEACHER_MODEL_IS_DEFAULT,
      purpose: "teacher",
    },
  ];
}

/** The settings that name models, with the provider of each. */
function configuredModels(): { setting: string; provider: string; model: string }[] {
  const settings = env();
  const trainer = trainingProviderOrder()[0];
  const bases = [settings.FINE_TUNE_BASE_MODEL, ...settings.ALLOWED_BASE_MODELS];
  return [
    ...preferences(),
    ...[...new Set(bases)].map((model) => ({
      setting: model === settings.FINE_TUNE_BASE_MODEL ? "FINE_TUNE_BASE_MODEL" : "ALLOWED_BASE_MODELS",
      provider: trainer,
      model,
    })),
  ];
}

/** Those far from their shutdown date first, then the newest. */
function byPreference(asOf: Date) {
  return (a: CatalogueEntry, b: CatalogueEntry) =>
    Number(isNearShutdown(a, asOf)) - Number(isNearShutdown(b, asOf)) || newestFirst(a.modelId, b.modelId);
}

/**
 * The one place a model setting becomes a live model id on `asOf`: a default goes to the newest
 * live model of its family; a configured model is taken while it lives, and once dead (past its
 * date, or gone from the provider's list, which the catalogue refresh dates) is followed by the
 * newest live successor in its family. Else the provider's live model for the purpose that lives
 * longest; null when none is left.
 */
export function resolveModel(
  catalogue: Catalogue,
  preference: Pick<ModelPreference, "provider" | "model" | "isDefault" | "purpose">,
  asOf: Date,
): { model: string; entry: CatalogueEntry | undefined; replaced: boolean } | null {
  const { provider, model } = preference;
  const own = catalogue.entry(provider, model);
  const ownAlive = !isShutDown(own, asOf);
  const family = catalogue.entries
    .filter((entry) => entry.provider === provider && entry.modelId !== model && sameFamily(entry.modelId, model))
    // A default takes its family's newest live model; a configured one only a successor (an
    // older sibling is no way forward: it usually dies first).
    .filter((entry) => (preference.isDefault || newestFirst(entry.modelId, model) < 0) && !isShutDown(entry, asOf));
  const candidates = [...family, ...(ownAlive ? [own ?? unknownEntry(provider, model)] : [])].sort(byPreference(asOf));
  if (ownAlive && !preference.isDefault) return { model, entry: own, replaced: false };
  if (candidates[0]) return { model: candidates[0].modelId, entry: candidates[0].modelId === model ? own : candidates[0], replaced: !ownAlive };
  const others = catalogue.withPurpose(provider, preference.purpose).filter((entry) => !isShutDown(entry, asOf)).sort(
    (a, b) => Number(isNearShutdown(a, asOf)) - Number(isNearShutdown(b, asOf)),
  );
  return others[0] ? { model: others[0].modelId, entry: others[0], replaced: true } : null;
}

/** A model the catalogue has no row for: alive as far as anyone has said. */
function unknownEntry(provider: string, modelId: string): CatalogueEntry {
  return {
    provider,
    modelId,
    purposes: [],
    rules: { tokenParameter: "max_tokens", temperature: "accepted", takesReasoningEffort: false },
    shutdownDate: null,
    shutdownSource: "none",
    fineTuningClosesOn: null,
  };
}

/** Every configured model within 30 days of its shutdown date as of `asOf` (or past it, or unlisted). */
export function configuredModelWarnings(catalogue: Catalogue, asOf: Date): ModelWarning[] {
  const chosen = new Map<string, ReturnType<typeof resolveModel>>(preferences().map((preference) => [preference.setting, resolveModel(catalogue, preference, asOf)]));
  return configuredModels().flatMap(({ setting, provider, model }) => {
    const entry = catalogue.entry(provider, model);
    if (!entry?.shutdownDate || !isNearShutdown(entry, asOf)) return [];
    const daysLeft = daysUntil(entry.shutdownDate, asOf);
    const resolved = chosen.get(setting);
    return [{
      setting,
      provider,
      model,
      shutdownDate: entry.shutdownDate,
      daysLeft,
      unlisted: entry.shutdownSource === "unlisted",
      replacement: daysLeft <= 0 && resolved && resolved.model !== model ? resolved.model : null,
    }];
  });
}

/** Reads the catalogue and logs the configured models near or past shutdown (the sync's report). */
export async function reportConfiguredModels(asOf: Date = today()): Promise<ModelWarning[]> {
  const warnings = configuredModelWarnings(await currentCatalogue(), asOf);
  logWarnings(warnings);
  return warnings;
}

async function rulesFor(catalogue: Catalogue, provider: string, model: string, also?: string): Promise<ModelRules> {
  const known = catalogue.entry(provider, model)?.rules ?? (also ? catalogue.entry(provider, also)?.rules : undefined);
  return known ?? (await chatProvider(provider)).rulesFor(model);
}

/** The model for a chat or teacher setting on `asOf` (see `resolveModel`); a dead one is logged loudly. */
async function chooseLive(catalogue: Catalogue, preference: ModelPreference, asOf: Date): Promise<ModelChoice | null> {
  const resolved = resolveModel(catalogue, preference, asOf);
  if (!resolved || resolved.replaced) {
    log.error("configured model has shut down or left the provider's list; no request goes to it", {
      setting: preference.setting,
      provider: preference.provider,
      model: preference.model,
      replacement: resolved?.model ?? null,
    });
  }
  if (!resolved) return null;
  return {
    provider: preference.provider,
    model: resolved.model,
    rules: resolved.entry?.rules ?? await rulesFor(catalogue, preference.provider, resolved.model),
  };
}

/** The persona fallback's model on `asOf` (null: the chat provider has no live chat model). */
export async function chatFallbackModel(asOf: Date = today()): Promise<ModelChoice | null> {
  return await chooseLive(await catalogueForRequests(), preferences()[0], asOf);
}

/** The teacher's model on `asOf` (null: the chat provider has no live teacher model). */
export async function teacherModel(asOf: Date = today()): Promise<ModelChoice | null> {
  return await chooseLive(await catalogueForRequests(), preferences()[1], asOf);
}

/**
 * A persona's fine-tune as a chat model on `asOf`; `shut-down` when it is dead (it shuts down with
 * its base model, or on its own date); `no-client` when its provider is not one this build chats with;
 * `not-deployed` when its provider serves it only once deployed and it is not (the reason is logged).
 */
export async function fineTunedChatModel(
  fineTune: { provider: string; model: string; baseModel: string | null },
  asOf: Date = today(),
): Promise<ModelChoice | "shut-down" | "no-client" | "not-deployed"> {
  if (!isChatProviderName(fineTune.provider)) return "no-client";
  const catalogue = await catalogueForRequests();
  const own = catalogue.entry(fineTune.provider, fineTune.model);
  const base = fineTune.baseModel ? catalogue.entry(fineTune.provider, fineTune.baseModel) : undefined;
  if (isShutDown(own, asOf) || isShutDown(base, asOf)) return "shut-down";
  const serving = await (await chatProvider(fineTune.provider)).servingOf?.(fineTune.model, fineTune.baseModel);
  if (serving?.served === false) {
    log.info("fine-tuned model is not deployed; persona mode answers", { provider: fineTune.provider, model: fineTune.model, reason: serving.reason });
    return "not-deployed";
  }
  return {
    provider: fineTune.provider,
    model: fineTune.model,
    rules: await rulesFor(catalogue, fineTune.provider, fineTune.model, fineTune.baseModel ?? undefined),
    ...(serving?.priceModel ? { priceModel: serving.priceModel } : {}),
  };
}

/**
 * Why no fine-tuning job should start on `baseModel` at `provider` on `asOf` (fine-tuning on it has
 * closed, or it has shut down), or null. A base within 30 days of its date is still trained (the
 * persona has its fine-tune until then) and reported loudly as a configured model.
 */
export async function fineTuneBaseRefusal(provider: string, baseModel: string, asOf: Date = today()): Promise<string | null> {
  const entry = (await catalogueForRequests()).entry(provider, baseModel);
  if (!entry) return null;
  if (isShutDown(entry, asOf)) return `${baseModel} shut down on ${entry.shutdownDate}`;
  if (entry.fineTuningClosesOn && daysUntil(entry.fineTuningClosesOn, asOf) <= 0) {
    return `fine-tuning ${baseModel} closed on ${entry.fineTuningClosesOn}`;
  }
  return null;
}
