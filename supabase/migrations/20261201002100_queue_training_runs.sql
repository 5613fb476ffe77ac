-- The fair training queue: a provider allows an organisation only so many active jobs
-- (TRAINING_MAX_ACTIVE_JOBS), so a ready run takes a slot before it starts its job, else waits
-- first come first served; the per-user cap on trainings in flight keeps it fair across users.
alter table public.training_runs
  -- When the run first asked for a slot; kept, so a run the provider pushed back stays at the head.
  add column queued_at timestamptz,
  -- Since when the run holds a provider slot (set before its job exists, so two starts never share one).
  add column slot_taken_at timestamptz;

comment on column public.training_runs.queued_at is 'When the run first waited for a provider slot (FIFO order).';
comment on column public.training_runs.slot_taken_at is 'When the run took one of the provider''s active-job slots.';

-- The waiting runs of a provider, in queue order.
create index training_runs_queue_idx
  on public.training_runs (provider, queued_at, id)
  where status = 'pending' and queued_at is not null and slot_taken_at is null and provider_job_id is null;
-- The slots in use per provider: runs with a job, or about to start one.
create index training_runs_active_idx
  on public.training_runs (provider)
  where status in ('pending', 'training') and (provider_job_id is not null or slot_taken_at is not null);

-- The one place that decides whether a run may start its provider job now. Under a per-provider
-- lock (so two workers never both see the last free slot), it puts the run in the queue if it is
-- not yet, and gives it a slot when fewer than p_max_active jobs are active at its provider and no
-- run waits ahead of it in that free room. Answers `outcome` start (the slot is the run's) or wait,
-- with the run's `position` (1: next) and the provider's `active` jobs. A run that already holds a
-- slot or has a job answers start. Hold rules (a spend limit, ...) belong here.
create or replace function private.may_start_training(p_run_id uuid, p_max_active integer)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  run record;
  active integer;
  ahead integer;
begin
  select r.id, r.provider, r.status, r.provider_job_id, r.slot_taken_at into run
  from public.training_runs r where r.id = p_run_id;
  if run.id is null or run.status <> 'pending' then
    return jsonb_build_object('outcome', 'gone');
  end if;
  if run.provider_job_id is not null or run.slot_taken_at is not null then
    return jsonb_build_object('outcome', 'start');
  end if;

  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('storyvoice.training_slots:' || run.provider, 0));
  update public.training_runs r set queued_at = coalesce(r.queued_at, pg_catalog.now())
  where r.id = p_run_id;

  select count(*)::integer into active
  from public.training_runs r
  where r.provider = run.provider and r.status in ('pending', 'training')
    and (r.provider_job_id is not null or r.slot_taken_at is not null);
  select count(*)::integer into ahead
  from public.training_runs r, public.training_runs me
  where me.id = p_run_id
    and r.provider = run.provider and r.status = 'pending' and r.queued_at is not null
    and r.slot_taken_at is null and r.provider_job_id is null
    and (r.queued_at, r.id) < (me.queued_at, me.id);

  if active + ahead < p_max_active then
    -- Due again, so the sync resumes the start if this worker dies before the job exists.
    update public.training_runs set slot_taken_at = pg_catalog.now(), next_check_at = pg_catalog.now()
    where id = p_run_id;
    return jsonb_build_object('outcome', 'start', 'active', active + 1);
  end if;
  -- Waiting runs are started by the sync's queue step, in order, not by the due-run claim.
  update public.training_runs set next_check_at = 'infinity', lease_expires_at = null where id = p_run_id;
  return jsonb_build_object('outcome', 'wait', 'position', ahead + 1, 'active', active);
end;
$$;

revoke all on function private.may_start_training(uuid, integer) from public, anon, authenticated;
grant execute on function private.may_start_training(uuid, integer) to service_role;
