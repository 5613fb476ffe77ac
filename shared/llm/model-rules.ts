/**
 * What a model is for, which request parameters it takes and when it shuts down: the catalogue's
 * entries in provider-neutral terms. Dates come from the catalogue (the provider's answer, or the
 * documented fallback table), never from code.
 */

/** chat: the persona fallback; teacher: writes training data; fine_tune_base: new fine-tunes start from it. */
export type ModelPurpose = "chat" | "teacher" | "fine_tune_base";

/** The request parameters a model accepts. */
export interface ModelRules {
  /** How a reply's length is capped (gpt-5+/gpt-6 refuse `max_tokens`). */
  tokenParameter: "max_tokens" | "max_completion_tokens";
  /** `without_reasoning`: only with `reasoning_effort: "none"`. */
  temperature: "accepted" | "refused" | "without_reasoning";
  takesReasoningEffort: boolean;
}

/** One model of one provider, as the catalogue keeps it. */
export interface CatalogueEntry {
  provider: string;
  modelId: string;
  purposes: ModelPurpose[];
  rules: ModelRules;
  /** `YYYY-MM-DD` (UTC): from this day on the provider answers 404. Null: no date is known. */
  shutdownDate: string | null;
  /** Where the date came from; `unlisted`: the day the provider's model list stopped naming it. */
  shutdownSource: "provider" | "fallback" | "unlisted" | "none";
  /** `YYYY-MM-DD`: from this day on no fine-tuning job starts on this base. */
  fineTuningClosesOn: string | null;
}

/** The warning window before a shutdown: a configured model this close is reported loudly. */
export const SHUTDOWN_WARNING_DAYS = 30;

const DAY_MS = 86_400_000;

function utcDay(asOf: Date): number {
  return Math.floor(asOf.getTime() / DAY_MS);
}

function dayOf(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** Whole days from `asOf` to `date` (0 on the day itself, negative after it). */
export function daysUntil(date: string, asOf: Date): number {
  return dayOf(date) - utcDay(asOf);
}

/** True from the shutdown day on: no request may go to the model. */
export function isShutDown(entry: Pick<CatalogueEntry, "shutdownDate"> | undefined, asOf: Date): boolean {
  return Boolean(entry?.shutdownDate) && daysUntil(entry!.shutdownDate!, asOf) <= 0;
}

/** True when the model shuts down within `SHUTDOWN_WARNING_DAYS` (or already has). */
export function isNearShutdown(entry: Pick<CatalogueEntry, "shutdownDate"> | undefined, asOf: Date): boolean {
  return Boolean(entry?.shutdownDate) && daysUntil(entry!.shutdownDate!, asOf) <= SHUTDOWN_WARNING_DAYS;
}
