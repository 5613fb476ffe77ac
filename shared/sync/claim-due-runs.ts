import type { Transaction } from "../db/client.ts";
import type { TrackedRun } from "./apply-job-state.ts";

/** How one claim runs: the run's clock, batch size and lease lengths. */
export interface ClaimOptions {
  /** The sync's clock: what "due" and "expired" are measured against. */
  now: Date;
  limit: number;
  /** How long the claim keeps other sync runs away from a training run with a job. */
  leaseSeconds: number;
  /** How long a training run without a job is left to the creation worker the sync starts for it. */
  creationHoldSeconds: number;
}

/**
 * Claims up to `limit` due training runs in ONE statement: `pending` or `training`,
 * `next_check_at` passed, no live lease. `for update skip locked` makes overlapping sync runs take
 * disjoint rows instead of waiting for each other; the lease keeps them apart after this
 * transaction commits.
 *
 * A run with a job gets the lease (`lease` in the result is its fencing token). A run without one
 * (its creation died) gets no lease, since `prepareTraining` claims it itself, but is parked for
 * `creationHoldSeconds` so no other sync run picks it while that work runs.
 */
export async function claimDueRuns(tx: Transaction, options: ClaimOptions): Promise<TrackedRun[]> {
  const now = options.now.toISOString();
  const lease = new Date(options.now.getTime() + options.leaseSeconds * 1000).toISOString();
  const creationHold = new Date(options.now.getTime() + options.creationHoldSeconds * 1000).toISOString();
  const rows = await tx<(Omit<TrackedRun, "lease">)[]>`
    update public.training_runs r
    set lease_expires_at = case when r.provider_job_id is null then null else ${lease}::timestamptz end,
        next_check_at = case when r.provider_job_id is null then ${creationHold}::timestamptz else r.next_check_at end
    where r.id in (
      select d.id
      from public.training_runs d
      where d.status in ('pending', 'training')
        and d.next_check_at <= ${now}::timestamptz
        and (d.lease_expires_at is null or d.lease_expires_at < ${now}::timestamptz)
      order by d.next_check_at
      limit ${options.limit}
      for update skip locked
    )
    returning r.id, r.model_id, r.status, r.provider, r.provider_job_id, r.progress, r.started_at,
              r.created_at, r.attempts`;
  return rows.map((row) => ({ ...row, lease: row.provider_job_id === null ? null : lease }));
}
