import type { Database } from "../db/database.types.ts";
import type { Transaction } from "../db/client.ts";
import type { JobStateUpdate } from "./apply-job-state.ts";

type RunValues = Database["public"]["Tables"]["training_runs"]["Update"];

/** A run the write-back changed, with the status it now has. */
export interface WrittenState {
  id: string;
  status: string;
}

/**
 * Writes a batch of planned run states in ONE statement (a batch of 200 costs one round trip, not
 * 200) and clears the sync's lease; each model row follows its current run (a trigger). Each run
 * is written only while it still has the status the plan was made from and, on the sync's path,
 * the very lease the claim wrote: a run that outlived its lease, or raced the webhook, changes
 * nothing, so a transition is written once.
 *
 * Both record sets are read as `training_runs` rows (`jsonb_populate_recordset`), so the table
 * itself types every value: the new values, and the fence (the status and lease as they were read).
 */
export async function writeJobStates(tx: Transaction, updates: readonly JobStateUpdate[]): Promise<WrittenState[]> {
  if (updates.length === 0) return [];
  const values: RunValues[] = updates.map((update) => ({
    id: update.id,
    status: update.status,
    fine_tuned_model: update.fineTunedModel,
    trained_tokens: update.trainingTokens,
    error: update.error,
    progress: update.progress as RunValues["progress"],
    attempts: update.attempts,
    next_check_at: update.nextCheckAt.toISOString(),
    completed_at: update.completedAt?.toISOString() ?? null,
  }));
  const fences: RunValues[] = updates.map((update) => ({
    id: update.id,
    status: update.expectedStatus,
    lease_expires_at: update.lease,
  }));
  return await tx<WrittenState[]>`
    update public.training_runs r
    set status = u.status,
        fine_tuned_model = coalesce(u.fine_tuned_model, r.fine_tuned_model),
        trained_tokens = coalesce(u.trained_tokens, r.trained_tokens),
        completed_at = coalesce(u.completed_at, r.completed_at),
        error = case u.status when 'failed' then u.error when 'completed' then null else r.error end,
        progress = coalesce(u.progress, r.progress),
        attempts = u.attempts,
        next_check_at = u.next_check_at,
        lease_expires_at = null
    from jsonb_populate_recordset(null::public.training_runs, ${tx.json(values as never)}::jsonb) as u
    join jsonb_populate_recordset(null::public.training_runs, ${tx.json(fences as never)}::jsonb) as fence
      on fence.id = u.id
    where r.id = u.id
      and r.status = fence.status
      -- No lease in the fence: the webhook's write, which whoever holds the lease lets through.
      and (fence.lease_expires_at is null or r.lease_expires_at = fence.lease_expires_at)
    returning r.id, r.status`;
}
