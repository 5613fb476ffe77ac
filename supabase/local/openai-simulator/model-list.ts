/**
 * The base models the simulated OpenAI serves and the shutdown dates it announces on GET /v1/models
 * (as OpenAI's own list does, from its deprecations page). The simulator answers 404 to a request
 * for a model, or a fine-tune of a model, from its shutdown date on (by the simulator's `today`).
 */
export interface SimBaseModel {
  id: string;
  created: number;
  /** `YYYY-MM-DD` (UTC), or null when none is announced. */
  shutdown_date: string | null;
}

const CREATED = 1_735_689_600; // 2025-01-01

export const SIM_BASE_MODELS: readonly SimBaseModel[] = [
  { id: "gpt-6-luna", created: CREATED, shutdown_date: null },
  { id: "gpt-5", created: CREATED, shutdown_date: "2026-12-11" },
  { id: "gpt-5-mini", created: CREATED, shutdown_date: "2026-12-11" },
  { id: "gpt-5-nano", created: CREATED, shutdown_date: "2026-12-11" },
  { id: "gpt-4.1-2025-04-14", created: CREATED, shutdown_date: "2027-01-14" },
  { id: "gpt-4.1-mini-2025-04-14", created: CREATED, shutdown_date: "2027-01-14" },
  { id: "gpt-4o-2024-08-06", created: CREATED, shutdown_date: "2027-01-14" },
  { id: "gpt-4o-mini-2024-07-18", created: CREATED, shutdown_date: "2027-01-14" },
  { id: "gpt-4.1", created: CREATED, shutdown_date: "2027-01-14" },
  { id: "gpt-4.1-mini", created: CREATED, shutdown_date: "2027-01-14" },
  { id: "gpt-4o", created: CREATED, shutdown_date: "2027-01-14" },
  { id: "gpt-4o-mini", created: CREATED, shutdown_date: "2027-01-14" },
  { id: "gpt-4.1-nano-2025-04-14", created: CREATED, shutdown_date: "2026-10-23" },
  { id: "gpt-4.1-nano", created: CREATED, shutdown_date: "2026-10-23" },
  { id: "gpt-3.5-turbo", created: CREATED, shutdown_date: "2026-10-23" },
  { id: "gpt-3.5-turbo-0125", created: CREATED, shutdown_date: "2026-10-23" },
];

const DAY_MS = 86_400_000;

/** The base model a model id runs on: itself, or the base of a fine-tune (`ft:<base>:...`). */
export function baseOf(modelId: string): string {
  return modelId.startsWith("ft:") ? modelId.split(":")[1] ?? modelId : modelId;
}

/** True from the model's (or its base's) shutdown day on, as of `nowMs` (the simulator's `today`). */
export function isShutDownAt(modelId: string, nowMs: number): boolean {
  const base = SIM_BASE_MODELS.find((model) => model.id === baseOf(modelId));
  if (!base?.shutdown_date) return false;
  return Math.floor(nowMs / DAY_MS) >= Math.floor(Date.parse(`${base.shutdown_date}T00:00:00Z`) / DAY_MS);
}

/** The reasoning families (o-series, gpt-5 and later): OpenAI's parameter rules differ for them. */
export function isReasoningFamily(modelId: string): boolean {
  return /^(?:o\d|gpt-(?:[5-9]|\d{2,}))(?:[.\-:]|$)/.test(baseOf(modelId));
}

/**
 * The `reasoning_effort` values OpenAI accepts per family (its reasoning guide): `none` from gpt-5.1
 * on only; gpt-5, -mini and -nano from `minimal`; gpt-5-pro `high` alone; the o-series low to high.
 */
export function acceptedReasoningEfforts(modelId: string): string[] {
  const base = baseOf(modelId);
  if (/^o\d/.test(base)) return ["low", "medium", "high"];
  if (/^gpt-5-pro(?:$|[-:])/.test(base)) return ["high"];
  if (/^gpt-5(?:$|[-:])/.test(base)) return ["minimal", "low", "medium", "high"];
  return ["none", "low", "medium", "high"];
}
