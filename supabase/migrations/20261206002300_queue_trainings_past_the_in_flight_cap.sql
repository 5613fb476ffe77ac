-- Creates past the plan's trainings in flight wait in the training queue instead of being refused:
-- the reservation caps a user's unfinished runs at trainings_in_flight plus a queued allowance, and
-- the start gate gives a run a slot only while its owner has fewer than trainings_in_flight started.
drop function private.reserve_trainings(uuid, integer, integer, integer, integer);

-- Takes p_models of the user's creations for today and checks that p_trainings more runs keep the
-- user's unfinished runs (started or waiting) within trainings_in_flight + p_queued_per_user, or
-- takes nothing. Same row lock as before: a burst is served one by one, a rollback gives back.
-- Answers `outcome` ok, models_per_day or trainings_queued, with `limit`, `used` and `plan`.
create function private.reserve_trainings(
  p_user_id uuid,
  p_models integer,
  p_trainings integer,
  p_default_models_per_day integer,
  p_default_trainings_in_flight integer,
  p_queued_per_user integer
)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  today date := (pg_catalog.now() at time zone 'utc')::date;
  quotas record;
  created_today integer;
  unfinished integer;
begin
  select q.plan, q.models_per_day, q.trainings_in_flight into quotas
  from private.plan_quotas(p_user_id, p_default_models_per_day, p_default_trainings_in_flight, null, null) q;

  insert into private.daily_model_usage (user_id, day, created) values (p_user_id, today, 0)
  on conflict (user_id, day) do nothing;
  select u.created into created_today
  from private.daily_model_usage u where u.user_id = p_user_id and u.day = today
  for update;

  if created_today + p_models > quotas.models_per_day then
    return jsonb_build_object('outcome', 'models_per_day', 'limit', quotas.models_per_day,
                              'used', created_today, 'plan', quotas.plan);
  end if;

  if p_trainings > 0 then
    select count(*)::integer into unfinished
    from public.training_runs r
    join private.fine_tuned_models m on m.id = r.model_id
    where m.created_by = p_user_id and r.status in ('pending', 'training');
    if unfinished + p_trainings > quotas.trainings_in_flight + p_queued_per_user then
      return jsonb_build_object('outcome', 'trainings_queued',
                                'limit', quotas.trainings_in_flight + p_queued_per_user,
                                'used', unfinished, 'plan', quotas.plan);
    end if;
  end if;

  if p_models > 0 then
    update private.daily_model_usage set created = created + p_models
    where user_id = p_user_id and day = today;
  end if;
  return jsonb_build_object('outcome', 'ok', 'limit', quotas.models_per_day, 'used', created_today,
                            'plan', quotas.plan);
end;
$$;

comment on function private.reserve_trainings(uuid, integer, integer, integer, integer, integer) is
  'Takes a user''s model creations for today and checks their unfinished trainings (in flight and queued), or takes nothing, under a row lock so a burst cannot slip past a quota.';
revoke all on function private.reserve_trainings(uuid, integer, integer, integer, integer, integer) from public, anon, authenticated;
grant execute on function private.reserve_trainings(uuid, integer, integer, integer, integer, integer) to service_role;

-- The user's started runs (a provider slot or job), the count the plan's trainings_in_flight caps.
create function private.started_trainings_of(p_user_id uuid)
returns integer
language sql
stable
security invoker
set search_path = ''
as $$
  select count(*)::integer
  from public.training_runs r
  join private.fine_tuned_models m on m.id = r.model_id
  where m.created_by = p_user_id and r.status in ('pending', 'training')
    and (r.provider_job_id is not null or r.slot_taken_at is not null);
$$;

comment on function private.started_trainings_of(uuid) is
  'A user''s training runs holding a provider slot or job: what the plan''s trainings_in_flight caps.';
revoke all on function private.started_trainings_of(uuid) from public, anon, authenticated;
grant execute on function private.started_trainings_of(uuid) to service_role;

drop function private.may_start_training(uuid, integer);

-- The one place that decides whether a run may start its provider job now. Under its owner's lock
-- and then its provider's (always in that order), it queues the run if it is not yet, and gives it a
-- slot when its owner has fewer than their plan's trainings_in_flight started, fewer than
-- p_max_active jobs are active at the provider, and no run that could start waits ahead of it (a run
-- held by its own owner's cap does not hold others back). Answers `outcome` start or wait (with
-- `position`, 1: next, `active`, and `reason` owner_cap or provider_full), or gone.
create function private.may_start_training(p_run_id uuid, p_max_active integer, p_default_trainings_in_flight integer)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  run record;
  own_cap integer;
  own_started integer;
  active integer;
  waiting_ahead integer;
  startable_ahead integer;
begin
  select r.id, r.provider, r.status, r.provider_job_id, r.slot_taken_at, m.created_by into run
  from public.training_runs r join private.fine_tuned_models m on m.id = r.model_id
  where r.id = p_run_id;
  if run.id is null or run.status <> 'pending' then
    return jsonb_build_object('outcome', 'gone');
  end if;
  if run.provider_job_id is not null or run.slot_taken_at is not null then
    return jsonb_build_object('outcome', 'start');
  end if;

  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('storyvoice.user_trainings:' || run.created_by, 0));
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('storyvoice.training_slots:' || run.provider, 0));
  update public.training_runs r set queued_at = coalesce(r.queued_at, pg_catalog.now())
  where r.id = p_run_id;

  select q.trainings_in_flight into own_cap
  from private.plan_quotas(run.created_by, null, p_default_trainings_in_flight, null, null) q;
  own_started := private.started_trainings_of(run.created_by);
  select count(*)::integer into active
  from public.training_runs r
  where r.provider = run.provider and r.status in ('pending', 'training')
    and (r.provider_job_id is not null or r.slot_taken_at is not null);
  select count(*)::integer,
         count(*) filter (where private.started_trainings_of(m.created_by) <
                               (select q.trainings_in_flight
                                from private.plan_quotas(m.created_by, null, p_default_trainings_in_flight, null, null) q))::integer
    into waiting_ahead, startable_ahead
  from public.training_runs r
  join private.fine_tuned_models m on m.id = r.model_id,
       public.training_runs me
  where me.id = p_run_id
    and r.provider = run.provider and r.status = 'pending' and r.queued_at is not null
    and r.slot_taken_at is null and r.provider_job_id is null
    and (r.queued_at, r.id) < (me.queued_at, me.id);

  if own_started < own_cap and active + startable_ahead < p_max_active then
    -- Due again, so the sync resumes the start if this worker dies before the job exists.
    update public.training_runs set slot_taken_at = pg_catalog.now(), next_check_at = pg_catalog.now()
    where id = p_run_id;
    return jsonb_build_object('outcome', 'start', 'active', active + 1);
  end if;
  -- Waiting runs are started by the sync's queue step, in order, not by the due-run claim.
  update public.training_runs set next_check_at = 'infinity', lease_expires_at = null where id = p_run_id;
  return jsonb_build_object('outcome', 'wait', 'position', waiting_ahead + 1, 'active', active,
                            'reason', case when own_started >= own_cap then 'owner_cap' else 'provider_full' end);
end;
$$;

comment on function private.may_start_training(uuid, integer, integer) is
  'The start gate of every provider job: queues the run, and gives it a slot within its owner''s trainings in flight and the provider''s active-job limit, first come first served.';
revoke all on function private.may_start_training(uuid, integer, integer) from public, anon, authenticated;
grant execute on function private.may_start_training(uuid, integer, integer) to service_role;
