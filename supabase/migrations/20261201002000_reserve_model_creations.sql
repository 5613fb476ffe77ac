-- Models created per user and UTC day, the counter behind the plan's models_per_day. A counter,
-- not a count of rows, so deleting a model gives no creation back. Service path only.
create table private.daily_model_usage (
  user_id uuid not null references auth.users (id) on delete cascade,
  day date not null,
  created integer not null check (created >= 0),
  primary key (user_id, day)
);

comment on table private.daily_model_usage is 'Models created per user and UTC day (the plan''s models_per_day).';

alter table private.daily_model_usage enable row level security;
revoke all on table private.daily_model_usage from public, anon, authenticated;
grant select, insert, update, delete on table private.daily_model_usage to service_role;

-- Takes p_models of the user's creations for today and checks that p_trainings more runs keep the
-- user within their trainings in flight, or takes nothing. The user's counter row is locked until
-- the caller's transaction ends, so a burst of creates is served one by one and cannot slip past
-- either quota; call it in the transaction that writes the models (or runs): a rollback gives the
-- creations back. Answers `outcome` ok, models_per_day or trainings_in_flight, with `limit`,
-- `used` (before this call) and `plan`.
create or replace function private.reserve_trainings(
  p_user_id uuid,
  p_models integer,
  p_trainings integer,
  p_default_models_per_day integer,
  p_default_trainings_in_flight integer
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
  in_flight integer;
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
    select count(*)::integer into in_flight
    from public.training_runs r
    join private.fine_tuned_models m on m.id = r.model_id
    where m.created_by = p_user_id and r.status in ('pending', 'training');
    if in_flight + p_trainings > quotas.trainings_in_flight then
      return jsonb_build_object('outcome', 'trainings_in_flight', 'limit', quotas.trainings_in_flight,
                                'used', in_flight, 'plan', quotas.plan);
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

revoke all on function private.reserve_trainings(uuid, integer, integer, integer, integer) from public, anon, authenticated;
grant execute on function private.reserve_trainings(uuid, integer, integer, integer, integer) to service_role;
