/**
 * "As of when?" for decisions by a provider's dates: whether a model has shut down, whether
 * fine-tuning on a base has closed, which models are near their shutdown. In production that is
 * the real clock. Local stacks and tests may pin it with STORYVOICE_CLOCK (an ISO date or instant,
 * e.g. `2026-12-15T00:00:00Z`), so their suites test the product as it behaves on one fixed day
 * rather than on whatever day they happen to run; the simulators read the same setting. Never set
 * it on a hosted project. Timestamps of rows and logs, leases and timeouts always use the real
 * clock: only the dated decisions ask here.
 */

/** The setting that pins the day (unset: the real clock). */
export const CLOCK_SETTING = "STORYVOICE_CLOCK";

/** Read on every call, not once: a test of dated behaviour moves it between cases. */
function pinnedSetting(): string | undefined {
  const deno = (globalThis as { Deno?: { env: { get(name: string): string | undefined } } }).Deno;
  const node = (globalThis as { process?: { env: Record<string, string | undefined> } }).process;
  const value = deno ? deno.env.get(CLOCK_SETTING) : node?.env[CLOCK_SETTING];
  // An empty variable means "not set", as for every other setting.
  return value?.trim() || undefined;
}

/** The instant dated decisions are made as of: STORYVOICE_CLOCK when set, else now. */
export function today(): Date {
  const pinned = pinnedSetting();
  if (pinned === undefined) return new Date();
  const at = Date.parse(pinned);
  if (Number.isNaN(at)) throw new Error(`${CLOCK_SETTING} must be an ISO date or instant, e.g. 2026-12-15T00:00:00Z`);
  return new Date(at);
}
