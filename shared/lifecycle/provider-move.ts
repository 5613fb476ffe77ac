import { withServiceTransaction } from "../db/client.ts";

/**
 * Moves a run whose provider refused to start the job to the next training provider: the new
 * provider and its base model, no uploaded file (a file belongs to the provider it was uploaded
 * to), and the move with its reason appended to `provider_moves`. The examples stay stored, so the
 * next provider trains on the same data.
 */
export async function moveRunToProvider(runId: string, move: {
  from: string;
  to: string;
  reason: string;
  baseModel: string;
}): Promise<void> {
  const entry = { from: move.from, to: move.to, reason: move.reason, at: new Date().toISOString() };
  await withServiceTransaction((tx) =>
    tx`
      update public.training_runs
      set provider = ${move.to},
          base_model = ${move.baseModel},
          provider_file_id = null,
          -- A slot is the provider's: the next provider's queue decides anew (the run keeps its place in time).
          slot_taken_at = null,
          provider_moves = provider_moves || jsonb_build_array(${tx.json(entry)}::jsonb)
      where id = ${runId}`
  );
}
