import { today } from "../clock.ts";
import { env } from "../env.ts";
import { daysUntil, isNearShutdown, isShutDown, type ModelPurpose, type ModelRules } from "../llm/model-rules.ts";
import { log } from "../log.ts";
import { type Catalogue, currentCatalogue } from "./catalogue.ts";
import { chatProvider, isChatProviderName } from "./chat-registry.ts";
import { trainingProviderOrder } from "./training-order.ts";

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

/** A configured model that shuts down within 30 days, or already has. */
export interface ModelWarning {
  setting: string;
  provider: string;
  model: string;
  shutdownDate: string;
  daysLeft: number;
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
    log.error(gone ? "CONFIGURED MODEL HAS SHUT DOWN" : "CONFIGURED MODEL SHUTS DOWN SOON", { ...warning });
  }
}

/** The settings that name models, with the provider and purpose of each. */
function configuredModels(): { setting: string; provider: string; model: string }[] {
  const settings = env();
  const trainer = trainingProviderOrder()[0];
  const bases = [settings.FINE_TUNE_BASE_MODEL, ...settings.ALLOWED_BASE_MODELS];
  return [
    { setting: "CHAT_MODEL", provider: settings.CHAT_PROVIDER, model: settings.CHAT_MODEL },
    { setting: "TEACHER_MODEL", provider: settings.CHAT_PROVIDER, model: settings.TEACHER_MODEL },
    ...[...new Set(bases)].map((model) => ({
      setting: model === settings.FINE_TUNE_BASE_MODEL ? "FINE_TUNE_BASE_MODEL" : "ALLOWED_BASE_MODELS",
      provider: trainer,
      model,
    })),
  ];
}

/** Every configured model within 30 days of its shutdown date as of `asOf` (or past it). */
export function configuredModelWarnings(catalogue: Catalogue, asOf: Date): ModelWarning[] {
  return configuredModels().flatMap(({ setting, provider, model }) => {
    const entry = catalogue.entry(provider, model);
    if (!entry?.shutdownDate || !isNearShutdown(entry, asOf)) return [];
    return [{ setting, provider, model, shutdownDate: entry.shutdownDate, daysLeft: daysUntil(entry.shutdownDate, asOf) }];
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

/**
 * The configured model for `purpose` when it is alive on `asOf`; else the provider's live model
 * for that purpose that lives longest (logged loudly); null when the provider has none.
 */
async function chooseLive(
  catalogue: Catalogue,
  provider: string,
  configured: string,
  purpose: ModelPurpose,
  asOf: Date,
): Promise<ModelChoice | null> {
  if (!isShutDown(catalogue.entry(provider, configured), asOf)) {
    return { provider, model: configured, rules: await rulesFor(catalogue, provider, configured) };
  }
  const candidates = catalogue.withPurpose(provider, purpose).filter((entry) => !isShutDown(entry, asOf));
  const replacement = candidates.find((entry) => !isNearShutdown(entry, asOf)) ?? candidates[0];
  log.error("configured model has shut down; no request goes to it", {
    purpose,
    provider,
    model: configured,
    replacement: replacement?.modelId ?? null,
  });
  return replacement ? { provider, model: replacement.modelId, rules: replacement.rules } : null;
}

/** The persona fallback's model on `asOf` (null: the chat provider has no live chat model). */
export async function chatFallbackModel(asOf: Date = today()): Promise<ModelChoice | null> {
  const settings = env();
  return await chooseLive(await catalogueForRequests(), settings.CHAT_PROVIDER, settings.CHAT_MODEL, "chat", asOf);
}

/** The teacher's model on `asOf` (null: the chat provider has no live teacher model). */
export async function teacherModel(asOf: Date = today()): Promise<ModelChoice | null> {
  const settings = env();
  return await chooseLive(await catalogueForRequests(), settings.CHAT_PROVIDER, settings.TEACHER_MODEL, "teacher", asOf);
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
