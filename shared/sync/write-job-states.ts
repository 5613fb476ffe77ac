import type { Transaction } from "../db/client.ts";
import type { JobStateUpdate } from "./apply-job-state.ts";

/** A row the write-back changed, with the status it now has. */
export interface WrittenState {
  id: string;
  status: string;
}

/**
 * Writes a batch of planned states in ONE statement (a batch of 200 costs one round trip, not 200)
 * and clears the sync's lease. Each row is written only while it still has the status the plan was
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
    openai_model_id: update.openaiModelId,
    training_tokens: update.trainingTokens,
    error: update.error,
    progress: update.progress,
    check_attempts: update.checkAttempts,
    next_check_at: update.nextCheckAt.toISOString(),
    completed_at: update.completedAt?.toISOString() ?? null,
  }));
  return await tx<WrittenState[]>`
    update public.fine_tuned_models m
    set status = u.status,
        openai_model_id = coalesce(u.openai_model_id, m.openai_model_id),
        training_tokens = coalesce(u.training_tokens, m.training_tokens),
        training_completed_at = coalesce(u.completed_at, m.training_completed_at),
        error = case u.status when 'failed' then u.error when 'completed' then null else m.error end,
        training_progress = coalesce(u.progress, m.training_progress),
        check_attempts = u.check_attempts,
        next_check_at = u.next_check_at,
        lease_expires_at = null
    from jsonb_to_recordset(${tx.json(rows as never)}::jsonb) as u (
      id uuid, expected_status text, lease timestamptz, status text, openai_model_id text,
      training_tokens integer, error text, progress jsonb, check_attempts integer,
      next_check_at timestamptz, completed_at timestamptz
    )
    where m.id = u.id
      and m.status = u.expected_status
      and (u.lease is null or m.lease_expires_at = u.lease)
    returning m.id, m.status`;
}
