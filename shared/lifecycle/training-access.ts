import { withServiceTransaction } from "../db/client.ts";
import { env } from "../env.ts";
import { log } from "../log.ts";
import { trainingProviderOrder } from "../providers/training-order.ts";
import { ProviderError, type TrainingProvider } from "../providers/training-provider.ts";

/**
 * A provider's refusal to fine-tune for this deployment's account, remembered once per provider and
 * account (private.training_access_refusals), so the next model goes straight to the next training
 * provider or persona mode without calling the provider again. Trusted for
 * TRAINING_REFUSAL_RECHECK_DAYS; an admin deletes the row to have the next model ask at once.
 */

/** A remembered refusal, as the status answer, the app's banner and `npm run dev` say it. */
export interface TrainingNotice {
  provider: string;
  /** The provider's refusal in plain words ("Fine-tuning at OpenAI is not available to this organisation: ..."). */
  reason: string;
  /** What new models do now, and what to set to fine-tune elsewhere. */
  advice: string;
  refusedAt: string;
  /** When the next model asks the provider again. */
  recheckAfter: string;
}

const DAY_MS = 86_400_000;

/** True for a refusal that is the account's, not one model's: 403 on starting a job. */
export function isAccountRefusal(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.kind === "unavailable" && error.status === 403;
}

async function accountOf(provider: TrainingProvider): Promise<string> {
  return provider.accountId ? await provider.accountId() : "default";
}

/** The refusal remembered for the provider's account and not yet due for a re-check, else undefined. */
async function refusalRow(provider: TrainingProvider): Promise<{ reason: string; refused_at: Date } | undefined> {
  const account = await accountOf(provider);
  const [row] = await withServiceTransaction((tx) =>
    tx<{ reason: string; refused_at: Date }[]>`
      select reason, refused_at from private.training_access_refusals
      where provider = ${provider.name} and account = ${account}
        and refused_at > now() - make_interval(days => ${env().TRAINING_REFUSAL_RECHECK_DAYS})`
  );
  return row;
}

/** The provider's refusal for this account if one is remembered and not yet due for a re-check, else null. */
export async function rememberedRefusal(provider: TrainingProvider): Promise<ProviderError | null> {
  const row = await refusalRow(provider);
  return row ? new ProviderError("unavailable", row.reason, 403) : null;
}

/** Remembers the provider's account-wide refusal (a newer one replaces the older). */
export async function rememberRefusal(provider: TrainingProvider, reason: string): Promise<void> {
  const account = await accountOf(provider);
  await withServiceTransaction((tx) =>
    tx`
      insert into private.training_access_refusals (provider, account, reason)
      values (${provider.name}, ${account}, ${reason.slice(0, 500)})
      on conflict (provider, account) do update set reason = excluded.reason, refused_at = now()`
  );
  log.warn("training provider refused this account; remembered, next models skip it", { provider: provider.name });
  noticeCache = undefined;
}

// The status answer reads this on every poll: a short cache keeps it off the database.
const NOTICE_TTL_MS = 30_000;
let noticeCache: { at: number; notice: Promise<TrainingNotice | null> } | undefined;

/**
 * The notice for the first configured training provider that refused this account and is still
 * remembered, or null: what the status answer, the app's banner and `npm run dev` show.
 */
export function trainingNotice(): Promise<TrainingNotice | null> {
  if (noticeCache && Date.now() - noticeCache.at < NOTICE_TTL_MS) return noticeCache.notice;
  const notice = readNotice();
  noticeCache = { at: Date.now(), notice };
  notice.catch(() => (noticeCache = undefined));
  return notice;
}

async function readNotice(): Promise<TrainingNotice | null> {
  // Loaded here, not at import: the status endpoint reads this, and its cold start loads no provider.
  const { isTrainingProviderName, trainingProvider, trainingProviderNames } = await import("../providers/registry.ts");
  const order = trainingProviderOrder().filter(isTrainingProviderName);
  for (const [index, name] of order.entries()) {
    const provider = trainingProvider(name);
    if (!provider.isAvailable()) continue;
    const row = await refusalRow(provider);
    if (!row) return null; // the first provider that has not refused trains new models
    const recheck = new Date(row.refused_at.getTime() + env().TRAINING_REFUSAL_RECHECK_DAYS * DAY_MS);
    return {
      provider: name,
      reason: row.reason,
      advice: adviceAfter(name, order.slice(index + 1).map(trainingProvider), trainingProviderNames()),
      refusedAt: row.refused_at.toISOString(),
      recheckAfter: recheck.toISOString(),
    };
  }
  return null;
}

/** What new models do instead, in configuration terms: the next configured provider, or what to set. */
function adviceAfter(refused: string, later: TrainingProvider[], known: string[]): string {
  const next = later.find((provider) => provider.isAvailable());
  if (next) return `New models train at ${next.name} (the next of TRAINING_PROVIDERS).`;
  const others = known.filter((name) => name !== refused);
  const suggestion = others.map((name) => `${name.toUpperCase()}_API_KEY and TRAINING_PROVIDERS=${refused},${name}`).join(", or ");
  return `New models answer in persona mode. To fine-tune elsewhere, set ${suggestion}.`;
}

/** Drops the cached notice (tests, and after an admin clears a refusal). */
export function resetTrainingNotice(): void {
  noticeCache = undefined;
}
