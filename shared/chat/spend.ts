import type { UserAuth } from "../auth/identity.ts";
import { withServiceTransaction } from "../db/client.ts";
import { deploymentSpendToday, recordSpend } from "../db/spend.ts";
import { log } from "../log.ts";
import { env } from "../env.ts";
import { spendLimitReached } from "../errors.ts";
import type { SpendEntry, TokenUsage } from "../llm/usage.ts";
import type { AnsweredBy } from "./answer.ts";
import type { ChatModel } from "./context.ts";
import { nextQuotaReset } from "./quota.ts";

/**
 * Chat's side of the spend ledger: each answered reply becomes one ledger entry, stored with the
 * exchange; and DAILY_SPEND_LIMIT_USD refuses a turn before the provider is asked.
 */

/** The ledger entry of one reply: a fine-tune prices as fine-tuned inference of its base model. */
export function chatSpendEntry(
  auth: UserAuth,
  model: Pick<ChatModel, "id" | "base_model">,
  answer: AnsweredBy & { usage: TokenUsage },
): SpendEntry {
  return {
    userId: auth.userId,
    modelId: model.id,
    kind: "chat",
    provider: answer.provider,
    billedModel: answer.model,
    ...(answer.usingFallback ? {} : { priceModel: answer.priceModel ?? model.base_model ?? answer.model, fineTuned: true }),
    inputTokens: answer.usage.inputTokens,
    outputTokens: answer.usage.outputTokens,
  };
}

/** How long this instance trusts the deployment's spend it last read (each stored reply adds its own). */
const SPEND_READ_INTERVAL_MS = 5_000;

let known: { day: string; spentUsd: number; readAt: number } | undefined;

const utcDay = (now = new Date()) => now.toISOString().slice(0, 10);

/**
 * Refuses the turn with 429 `spend_limit_reached` (until the next UTC midnight) when the
 * deployment's spend today has reached DAILY_SPEND_LIMIT_USD. Unset: never, and no query. The
 * spend is read from the ledger at most every 5 s per instance and each reply this instance
 * stores adds its cost meanwhile, so a chat costs no round trip for the check in steady state;
 * other instances' replies are seen within 5 s.
 */
export async function refuseChatPastSpendLimit(): Promise<void> {
  const limit = env().DAILY_SPEND_LIMIT_USD;
  if (limit === undefined) return;
  const today = utcDay();
  if (!known || known.day !== today || performance.now() - known.readAt > SPEND_READ_INTERVAL_MS) {
    known = { day: today, spentUsd: await deploymentSpendToday(), readAt: performance.now() };
  }
  if (known.spentUsd >= limit) throw spendLimitReached(nextQuotaReset());
}

/** Adds what this instance just recorded to its knowledge of today's spend. */
export function noteSpend(costUsd: number): void {
  if (known && known.day === utcDay()) known.spentUsd += costUsd;
}

/** Forgets the spend this instance read, so the next check reads the ledger (tests change it). */
export function forgetKnownSpend(): void {
  known = undefined;
}

/**
 * Records replies a provider answered whose exchange was then not stored (a later speaker of the
 * round failed, the reader went away, the persona was deleted meanwhile): the provider bills them
 * all the same. Logs rather than fails: the answer to the client matters more.
 */
export async function recordUnstoredSpend(entries: readonly SpendEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await withServiceTransaction((tx) => recordSpend(tx, entries))
    .catch((error) => log.warn("could not record the spend of unstored replies", { error }));
}
