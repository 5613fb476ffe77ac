import type { Transaction } from "../db/client.ts";
import type { JobStateUpdate } from "./apply-job-state.ts";

/** A run the write-back changed, with the status it now has. */
export interface WrittenState {
  id: string;
  status: string;
}

/**
 * Writes a batch of planned run states in ONE statement (a batch of 200 costs one round trip, not
 * 200) and clears the sync's lease; each model row follows its current run (a trigger). Each run is
 * written only while it still has the status the plan was
 * made from and, on the sync's path, the very lease the claim wrote: a run that outlived its lease,
 * or raced the webhook, changes nothing, so a transition is written once.
 */
export async function writeJobStates(tx: Transaction, updates: readonly JobStateUpdate[]): Promise<WrittenState[]> {
  if (updates.length === 0) return [];
  const rows = updates.map((update) => ({
    id: update.id,
    expected_status: update.expectedStatus,
    lease: update.lease,
    status: update.status,
    fine_tuned_model: update.fineTunedModel,
    trained_tokens: update.trainingTokens,
    error: update.error,
    progress: update.progress,
    attempts: update.attempts,
    next_check_at: update.nextCheckAt.toISOString(),
    completed_at: update.completedAt?.toISOString() ?? null,
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
    from jsonb_to_recordset(${tx.json(rows as never)}::jsonb) as u (
      id uuid, expected_status text, lease timestamptz, status text, fine_tuned_model text,
      trained_tokens integer, error text, progress jsonb, attempts integer,
      next_check_at timestamptz, completed_at timestamptz
    )
    where r.id = u.id
      and r.status = u.expected_status
      and (u.lease is null or r.lease_expires_at = u.lease)
    returning r.id, r.status`;
}
