import type { SpendEntry } from "../llm/usage.ts";
import { onDatabase, type Sql, type Transaction, withServiceTransaction } from "./client.ts";

/**
 * The spend ledger (`private.spend_ledger`): what the deployment spent at its providers, priced
 * from `private.model_prices`. Writers add their entries inside the transaction that stores what
 * the calls produced; readers get a user's days, the deployment's day, and whether the daily
 * limit is reached.
 */

/** The JSON `private.record_spend` takes. */
export function spendEntriesJson(entries: readonly SpendEntry[]) {
  return entries.map((entry) => ({
    user_id: entry.userId,
    model_id: entry.modelId,
    kind: entry.kind,
    provider: entry.provider,
    billed_model: entry.billedModel,
    price_model: entry.priceModel ?? null,
    fine_tuned: entry.fineTuned ?? false,
    requests: entry.requests ?? 1,
    input_tokens: entry.inputTokens ?? 0,
    output_tokens: entry.outputTokens ?? 0,
    trained_tokens: entry.trainedTokens ?? 0,
    characters: entry.characters ?? 0,
  }));
}

/** Adds `entries` to the ledger inside `tx` (a service transaction: the function is service-only). */
export async function recordSpend(tx: Transaction | Sql, entries: readonly SpendEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx`select private.record_spend(${tx.json(spendEntriesJson(entries) as never)}::jsonb)`;
}

/** One UTC day of a user's spend. */
export interface DailySpend {
  day: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  trainedTokens: number;
  costUsd: number;
}

/** A user's spend per UTC day over the last `days` days (today included), newest first; days without spend are left out. */
export async function userDailySpend(userId: string, days = 30): Promise<DailySpend[]> {
  const rows = await withServiceTransaction((tx) =>
    tx<{ day: string; requests: string; input_tokens: string; output_tokens: string; trained_tokens: string; cost_usd: string }[]>`
      select to_char(day, 'YYYY-MM-DD') as day, requests, input_tokens, output_tokens, trained_tokens, cost_usd
      from private.user_daily_spend(${userId}, ${days})`
  );
  return rows.map((row) => ({
    day: row.day,
    requests: Number(row.requests),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    trainedTokens: Number(row.trained_tokens),
    costUsd: Number(row.cost_usd),
  }));
}

/** The deployment's spend today (UTC), in USD. */
export async function deploymentSpendToday(): Promise<number> {
  const [row] = await onDatabase((sql) => sql<{ spent: string }[]>`select private.deployment_spend_today() as spent`);
  return Number(row.spent);
}

/**
 * True when the deployment's spend today has reached `limitUsd` (DAILY_SPEND_LIMIT_USD; undefined:
 * never). The training queue calls this before it starts a run: while it is true, no new provider
 * job starts and runs keep waiting until the next UTC midnight.
 */
export async function deploymentSpendLimitReached(limitUsd: number | undefined): Promise<boolean> {
  if (limitUsd === undefined) return false;
  const [row] = await onDatabase((sql) =>
    sql<{ reached: boolean }[]>`select private.deployment_spend_limit_reached(${limitUsd}) as reached`
  );
  return row.reached;
}
