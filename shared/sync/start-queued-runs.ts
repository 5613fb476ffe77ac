import { withServiceTransaction } from "../db/client.ts";
import { env } from "../env.ts";
import { prepareTraining } from "../lifecycle/prepare-training.ts";
import { log } from "../log.ts";

/** What the queue step did: runs it started at their provider, and runs still waiting after it. */
export interface QueueReport {
  started: number;
  waiting: number;
}

/**
 * Starts the training runs waiting for a provider slot, first come first served: the queue's
 * heads are taken with `for update skip locked` (two sync runs never pick the same head) and each
 * goes through `prepareTraining`, whose creation lease is the claim and whose start gate
 * (`mayStartTraining`) gives it the slot; a run never gets a second job, since the provider's job
 * for the run is looked up before one is created. A provider stops being asked once one of its
 * runs is told to wait (no free slot, or the provider pushed back); a run held by its owner's
 * trainings in flight holds back no one else.
 */
export async function startQueuedRuns(options: { shouldStop?: () => boolean } = {}): Promise<QueueReport> {
  // One statement: the heads, locked while it runs, and how many wait in all.
  const [{ heads, waiting }] = await withServiceTransaction((tx) =>
    tx<{ heads: { id: string; model_id: string; provider: string }[]; waiting: number }[]>`
      with heads as (
        select r.id, r.model_id, r.provider, r.queued_at
        from public.training_runs r
        where r.status = 'pending' and r.queued_at is not null and r.slot_taken_at is null
          and r.provider_job_id is null
          and (r.lease_expires_at is null or r.lease_expires_at < now())
        order by r.queued_at, r.id
        limit ${Math.min(100, env().TRAINING_MAX_ACTIVE_JOBS * 4)}
        for update skip locked
      )
      select coalesce((select jsonb_agg(jsonb_build_object('id', h.id, 'model_id', h.model_id, 'provider', h.provider)
                                        order by h.queued_at, h.id) from heads h), '[]'::jsonb) as heads,
             (select count(*)::int from public.training_runs w
              where w.status = 'pending' and w.queued_at is not null and w.slot_taken_at is null
                and w.provider_job_id is null) as waiting`
  );
  const full = new Set<string>();
  let started = 0;
  for (const head of heads) {
    if (full.has(head.provider) || options.shouldStop?.()) continue;
    try {
      const outcome = await prepareTraining(head.model_id);
      if (outcome === "job-started") started++;
      if (outcome === "queued") full.add(head.provider);
    } catch (error) {
      log.warn("training sync could not start a queued run", { runId: head.id, error });
    }
  }
  const still = Math.max(0, waiting - started);
  if (started > 0 || still > 0) log.info("training queue", { started, waiting: still });
  return { started, waiting: still };
}
