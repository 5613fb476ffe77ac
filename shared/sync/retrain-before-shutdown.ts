import { withServiceTransaction } from "../db/client.ts";
import { env } from "../env.ts";
import { log } from "../log.ts";
import { isTrainingProviderName } from "../providers/registry.ts";
import { trainingProviderOrder } from "../providers/training-order.ts";
import { MIN_TRAINING_EXAMPLES } from "../training/jsonl.ts";

/** Personas a sync run starts retraining at most: each costs an upload and a provider job. */
export const RETRAINS_PER_RUN = 10;

/**
 * With `RETRAIN_BEFORE_SHUTDOWN_DAYS` set, starts a new training run for every persona whose
 * fine-tune shuts down within that many days of `asOf` (by the catalogue), on the first configured
 * training provider other than the one whose model is dying, from its stored examples. The run is
 * only written here, due at once: the sync's claim picks it up and prepares it like any creation.
 * Chat stays on the old fine-tune until the new run completes, and persona mode covers any gap.
 * A persona with a run in flight, or too few stored examples, is left alone.
 */
export async function retrainPersonasNearShutdown(asOf: Date): Promise<number> {
  const days = env().RETRAIN_BEFORE_SHUTDOWN_DAYS;
  if (days === undefined) return 0;
  const order = trainingProviderOrder().filter(isTrainingProviderName);
  const started = await withServiceTransaction(async (tx) => {
    const dying = await tx<{ model_id: string; provider: string; shutdown_date: string }[]>`
      select s.model_id, s.provider, s.shutdown_date::text
      from private.fine_tune_shutdowns s
      where s.shutdown_date <= (${asOf.toISOString()}::timestamptz at time zone 'utc')::date + ${days}::integer
        and not exists (
          select 1 from public.training_runs r where r.model_id = s.model_id and r.status in ('pending', 'training'))
        and (select count(*) from public.training_examples e where e.model_id = s.model_id) >= ${MIN_TRAINING_EXAMPLES}
      order by s.shutdown_date, s.model_id
      limit ${RETRAINS_PER_RUN}`;
    const runs = dying.flatMap((persona) => {
      const to = order.find((name) => name !== persona.provider);
      if (!to) {
        log.warn("a persona's fine-tune shuts down soon, but no other training provider is configured", { ...persona });
        return [];
      }
      return [{ model_id: persona.model_id, provider: to }];
    });
    if (runs.length === 0) return [];
    // A null base model trains on the new provider's default.
    return await tx<{ model_id: string; provider: string }[]>`
      insert into public.training_runs (model_id, provider)
      select r.model_id, r.provider
      from jsonb_to_recordset(${tx.json(runs as never)}::jsonb) as r (model_id uuid, provider text)
      -- A concurrent sync run (or the owner's retrain) started one first: theirs stands.
      on conflict (model_id) where status in ('pending', 'training') do nothing
      returning model_id, provider`;
  });
  for (const run of started) log.info("retraining a persona before its fine-tune shuts down", { ...run });
  return started.length;
}
