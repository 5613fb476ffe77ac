import { withServiceTransaction } from "../db/client.ts";
import { log } from "../log.ts";
import { isTrainingProviderName, trainingProvider } from "../providers/registry.ts";
import { ProviderError } from "../providers/training-provider.ts";

/**
 * Fine-tunes a provider refused to delete when their persona was deleted (OpenAI: 403 without the
 * Owner role): kept in private.provider_leftovers (listed for admins in
 * analytics.fine_tunes_left_at_providers), retried by the training sync once a day, and forgotten
 * once the provider deletes them.
 */

/** A fine-tune left at its provider, as the sync reports it. */
export interface ProviderLeftover {
  provider: string;
  fineTunedModel: string;
  jobId: string | null;
  formerModelId: string;
  reason: string;
  recordedAt: string;
  attempts: number;
}

/** What the sync's retry did, and what is still left. */
export interface LeftoverReport {
  retried: number;
  deleted: number;
  /** Every fine-tune still left at a provider (the oldest first, at most `LISTED_LEFTOVERS`). */
  left: ProviderLeftover[];
  /** How many are left in all. */
  remaining: number;
}

/** A leftover is asked about again after this long: deleting twice a minute would only repeat the refusal. */
export const LEFTOVER_RETRY_HOURS = 24;
/** Retries per sync run: a long list is worked through over several runs. */
export const LEFTOVER_RETRIES_PER_RUN = 20;
const LISTED_LEFTOVERS = 50;

/** Records a provider's refusal to delete a fine-tune of a model being deleted (a repeat counts an attempt). */
export async function recordLeftover(leftover: {
  provider: string;
  fineTunedModel: string;
  jobId: string | null;
  formerModelId: string;
  formerOwner: string;
  reason: string;
}): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      insert into private.provider_leftovers (provider, fine_tuned_model, job_id, former_model_id, former_owner, reason)
      values (${leftover.provider}, ${leftover.fineTunedModel}, ${leftover.jobId}, ${leftover.formerModelId},
              ${leftover.formerOwner}, ${leftover.reason.slice(0, 500)})
      on conflict (provider, fine_tuned_model) do update
        set reason = excluded.reason, attempts = private.provider_leftovers.attempts + 1, last_attempt_at = now()`
  );
  log.warn("provider refused to delete a fine-tune: recorded as left at the provider", {
    provider: leftover.provider,
    fineTunedModel: leftover.fineTunedModel,
    reason: leftover.reason,
  });
}

/**
 * Asks the providers again to delete the leftovers not tried for `LEFTOVER_RETRY_HOURS` (at most
 * `LEFTOVER_RETRIES_PER_RUN`): a deleted one (or one already gone) is forgotten, a refused one keeps
 * its newest reason. A provider this deployment cannot call (no key) keeps its leftovers untried.
 */
export async function retryLeftovers(): Promise<LeftoverReport> {
  const due = await withServiceTransaction((tx) =>
    tx<{ id: string; provider: string; fine_tuned_model: string; job_id: string | null }[]>`
      update private.provider_leftovers l
      set last_attempt_at = now(), attempts = l.attempts + 1
      where l.id in (
        select id from private.provider_leftovers
        where last_attempt_at <= now() - make_interval(hours => ${LEFTOVER_RETRY_HOURS})
        order by last_attempt_at
        limit ${LEFTOVER_RETRIES_PER_RUN}
        for update skip locked)
      returning l.id, l.provider, l.fine_tuned_model, l.job_id`
  );
  let deleted = 0;
  let retried = 0;
  for (const leftover of due) {
    if (!isTrainingProviderName(leftover.provider)) continue;
    const provider = trainingProvider(leftover.provider);
    if (!provider.isAvailable()) continue;
    retried++;
    try {
      await provider.deleteModel(leftover.fine_tuned_model, leftover.job_id);
      await withServiceTransaction((tx) => tx`delete from private.provider_leftovers where id = ${leftover.id}`);
      deleted++;
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      await withServiceTransaction((tx) =>
        tx`update private.provider_leftovers set reason = ${error.message.slice(0, 500)} where id = ${leftover.id}`
      );
    }
  }
  return { retried, deleted, ...await listLeftovers() };
}

/** The fine-tunes still left at providers, oldest first, and how many in all. */
export async function listLeftovers(): Promise<Pick<LeftoverReport, "left" | "remaining">> {
  const rows = await withServiceTransaction((tx) =>
    tx<{ provider: string; fine_tuned_model: string; job_id: string | null; former_model_id: string; reason: string; recorded_at: Date; attempts: number; total: number }[]>`
      select provider, fine_tuned_model, job_id, former_model_id, reason, recorded_at, attempts,
             (count(*) over ())::int as total
      from analytics.fine_tunes_left_at_providers
      order by recorded_at
      limit ${LISTED_LEFTOVERS}`
  );
  return {
    remaining: rows[0]?.total ?? 0,
    left: rows.map((row) => ({
      provider: row.provider,
      fineTunedModel: row.fine_tuned_model,
      jobId: row.job_id,
      formerModelId: row.former_model_id,
      reason: row.reason,
      recordedAt: row.recorded_at.toISOString(),
      attempts: row.attempts,
    })),
  };
}
