import type { Transaction } from "../db/client.ts";
import type { TrackedModel } from "./apply-job-state.ts";

/** How one claim runs: the run's clock, batch size and lease lengths. */
export interface ClaimOptions {
  /** The sync's clock: what "due" and "expired" are measured against. */
  now: Date;
  limit: number;
  /** How long the claim keeps other runs away from a model with a job. */
  leaseSeconds: number;
  /** How long a model without a job is left to the creation worker the sync starts for it. */
  creationHoldSeconds: number;
  /** Restricts the claim to one owner's models (tests share the database with other suites). */
  ownerId?: string;
}

/**
 * Claims up to `limit` due models in ONE statement: `pending` or `training`, `next_check_at` passed,
 * no live lease. `for update skip locked` makes overlapping runs take disjoint rows instead of
 * waiting for each other; the lease keeps them apart after this transaction commits.
 *
 * A model with a job gets the lease (`lease` in the result is its fencing token). A model without
 * one (its creation died) gets no lease, since `prepareTraining` claims the row itself, but is
 * parked for `creationHoldSeconds` so no other run picks it while that work runs.
 */
export async function claimDueModels(tx: Transaction, options: ClaimOptions): Promise<TrackedModel[]> {
  const now = options.now.toISOString();
  const lease = new Date(options.now.getTime() + options.leaseSeconds * 1000).toISOString();
  const creationHold = new Date(options.now.getTime() + options.creationHoldSeconds * 1000).toISOString();
  const owner = options.ownerId ? tx`and d.created_by = ${options.ownerId}` : tx``;
  const rows = await tx<(Omit<TrackedModel, "lease">)[]>`
    update public.fine_tuned_models m
    set lease_expires_at = case when m.openai_job_id is null then null else ${lease}::timestamptz end,
        next_check_at = case when m.openai_job_id is null then ${creationHold}::timestamptz else m.next_check_at end
    where m.id in (
      select d.id
      from public.fine_tuned_models d
      where d.status in ('pending', 'training')
        and d.next_check_at <= ${now}::timestamptz
        and (d.lease_expires_at is null or d.lease_expires_at < ${now}::timestamptz)
        ${owner}
      order by d.next_check_at
      limit ${options.limit}
      for update skip locked
    )
    returning m.id, m.status, m.provider, m.openai_job_id, m.training_progress, m.training_started_at,
              m.created_at, m.check_attempts`;
  return rows.map((row) => ({ ...row, lease: row.openai_job_id === null ? null : lease }));
}
