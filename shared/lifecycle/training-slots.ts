import { withServiceTransaction } from "../db/client.ts";
import { deploymentSpendLimitReached } from "../db/spend.ts";
import { log } from "../log.ts";
import { env } from "../env.ts";

/**
 * The fair training queue: a provider lets an organisation have only TRAINING_MAX_ACTIVE_JOBS
 * active jobs, so a run takes a slot before it uploads and starts its job, and waits in a FIFO
 * queue (in Postgres) while none is free. The training sync starts waiting runs as slots free.
 */

/** Whether a run may start its provider job now. */
export type StartDecision =
  | { outcome: "start" }
  /** `owner_cap`: the owner's plan has its trainings in flight started; `provider_full`: no free slot. */
  | { outcome: "wait"; position: number; active: number; reason: "owner_cap" | "provider_full" }
  /** The run is no longer pending (deleted, cancelled): nothing to start. */
  | { outcome: "gone" };

/**
 * THE start gate: every provider job of this deployment is started only after this answered
 * `start`. It asks `private.may_start_training`, which, under a per-provider lock, queues the run
 * (first come, first served) and gives it a slot while its owner has fewer than their plan's
 * trainings in flight started, fewer than TRAINING_MAX_ACTIVE_JOBS jobs are active at its provider
 * and no run that could start waits ahead of it. A rule that should hold trainings back (a
 * maintenance switch) goes into that function, or here before it, as the daily spend limit does.
 */
export async function mayStartTraining(runId: string): Promise<StartDecision> {
  // Past the deployment's DAILY_SPEND_LIMIT_USD no slot is free: the run waits in the queue (with
  // its place) until the next UTC day. A run that already holds its slot still starts.
  const held = await deploymentSpendLimitReached(env().DAILY_SPEND_LIMIT_USD);
  const [{ decision }] = await withServiceTransaction((tx) =>
    tx<{ decision: StartDecision }[]>`
      select private.may_start_training(${runId}, ${held ? 0 : env().TRAINING_MAX_ACTIVE_JOBS},
                                        ${env().TRAININGS_IN_FLIGHT_PER_USER}) as decision`
  );
  if (held && decision.outcome === "wait") log.warn("daily spend limit reached: training waits in the queue", { runId });
  return decision;
}

/**
 * Back-pressure: the provider answered that the organisation has too many active jobs. The run
 * gives its slot back and waits at the head of the queue (it keeps its `queued_at`); the sync tries
 * it again on its next run. Not a failure, and no attempt is counted.
 */
export async function returnToQueueHead(runId: string): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update public.training_runs
      set slot_taken_at = null, queued_at = coalesce(queued_at, now()), next_check_at = 'infinity',
          lease_expires_at = null
      where id = ${runId} and provider_job_id is null`
  );
}

/** Gives a run's slot back without a job (it moves to another provider, or failed before starting). */
export async function releaseTrainingSlot(runId: string): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`update public.training_runs set slot_taken_at = null where id = ${runId} and provider_job_id is null`
  );
}

/** A waiting run's place in its provider's queue, as `GET /fine-tune-status` shows it. */
export interface QueuePlace {
  position: number;
  estimatedStartAt: string;
  activeJobs: number;
  maxActiveJobs: number;
}

/** Assumed length of one job at a provider with no finished job to learn from. */
const DEFAULT_JOB_MINUTES = 20;

/**
 * Where a waiting run stands: its position (1: next), the provider's active jobs, and an estimated
 * start: every TRAINING_MAX_ACTIVE_JOBS runs ahead take one job's length, the average of the
 * provider's last 20 finished jobs. Null when the run is not waiting.
 */
export async function queuePlace(runId: string): Promise<QueuePlace | null> {
  const maxActiveJobs = env().TRAINING_MAX_ACTIVE_JOBS;
  const [row] = await withServiceTransaction((tx) =>
    tx<{ position: number; active_jobs: number; job_seconds: number | null }[]>`
      select (select count(*)::int + 1 from public.training_runs r
              where r.provider = me.provider and r.status = 'pending' and r.queued_at is not null
                and r.slot_taken_at is null and r.provider_job_id is null
                and (r.queued_at, r.id) < (me.queued_at, me.id)) as position,
             (select count(*)::int from public.training_runs r
              where r.provider = me.provider and r.status in ('pending', 'training')
                and (r.provider_job_id is not null or r.slot_taken_at is not null)) as active_jobs,
             (select avg(extract(epoch from f.completed_at - f.started_at))::float8
              from (select r.completed_at, r.started_at from public.training_runs r
                    where r.provider = me.provider and r.status = 'completed'
                      and r.started_at is not null and r.completed_at is not null
                    order by r.completed_at desc limit 20) f) as job_seconds
      from public.training_runs me
      where me.id = ${runId} and me.status = 'pending' and me.queued_at is not null
        and me.slot_taken_at is null and me.provider_job_id is null`
  );
  if (!row) return null;
  const jobMs = (row.job_seconds ?? DEFAULT_JOB_MINUTES * 60) * 1000;
  const rounds = Math.ceil(row.position / maxActiveJobs);
  return {
    position: row.position,
    estimatedStartAt: new Date(Date.now() + rounds * jobMs).toISOString(),
    activeJobs: row.active_jobs,
    maxActiveJobs,
  };
}
