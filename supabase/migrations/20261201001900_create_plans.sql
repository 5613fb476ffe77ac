-- Subscription tiers and the quotas each grants: readable by signed-in users, written by the
-- service. A null quota is the deployment default from the environment, so the free plan follows
-- the deployment's settings.
create table public.plans (
  id text primary key check (id ~ '^[a-z][a-z0-9_-]{0,31}$'),
  name text not null check (char_length(name) between 1 and 100),
  description text check (char_length(description) <= 1000),
  monthly_price_usd numeric(10, 2) not null default 0 check (monthly_price_usd >= 0),
  models_per_day integer check (models_per_day >= 0),
  trainings_in_flight integer check (trainings_in_flight >= 0),
  chat_messages_per_day integer check (chat_messages_per_day >= 0),
  -- At least what every training provider needs for one run.
  max_examples integer check (max_examples >= 10),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.plans is
  'Plans and their quotas (null: the deployment default from the environment); readable by signed-in users, written by the service.';

create trigger set_updated_at
  before update on public.plans
  for each row execute function private.set_updated_at_on_edit();

alter table public.plans enable row level security;

create policy "Signed-in users can read the plans"
  on public.plans for select
  to authenticated
  using (true);

revoke all on table public.plans from anon, authenticated;
grant select on table public.plans to authenticated;
grant all on table public.plans to service_role;

insert into public.plans (id, name, description, monthly_price_usd, models_per_day, trainings_in_flight, chat_messages_per_day, max_examples) values
  ('free', 'Free', 'The deployment''s default quotas.', 0, null, null, null, null),
  ('pro', 'Pro', 'More models a day, more trainings at once and more chat.', 12, 50, 5, 2000, 200);

-- A user's plan as the service assigned it (a billing integration, an admin). Service only: a
-- client can neither read nor change anyone's plan here; it wins over app_metadata.plan.
create table private.user_plans (
  user_id uuid primary key references auth.users (id) on delete cascade,
  plan_id text not null references public.plans (id) on update cascade,
  updated_at timestamptz not null default now()
);

comment on table private.user_plans is
  'Plans assigned by the service; takes precedence over auth.users.app_metadata.plan.';

alter table private.user_plans enable row level security;
revoke all on table private.user_plans from public, anon, authenticated;
grant select, insert, update, delete on table private.user_plans to service_role;

-- The plan a user is on: private.user_plans, else auth.users.app_metadata.plan (which only the
-- service can set), else free; a plan id that names no plan counts as free. Definer rights: it
-- reads auth.users, which the service role may not; it answers only a plan id.
create or replace function private.plan_of(p_user_id uuid)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  chosen text;
begin
  -- plpgsql keeps these plans for the session: the lookup runs on every chat turn.
  select up.plan_id into chosen from private.user_plans up where up.user_id = p_user_id;
  if chosen is null then
    select p.id into chosen
    from auth.users u join public.plans p on p.id = u.raw_app_meta_data ->> 'plan'
    where u.id = p_user_id;
  end if;
  return coalesce(chosen, 'free');
end;
$$;

revoke all on function private.plan_of(uuid) from public, anon, authenticated;
grant execute on function private.plan_of(uuid) to service_role;

-- The quotas a user has: their plan's, each null one replaced by the deployment default given.
create or replace function private.plan_quotas(
  p_user_id uuid,
  p_models_per_day integer,
  p_trainings_in_flight integer,
  p_chat_messages_per_day integer,
  p_max_examples integer
)
returns table (
  plan text,
  plan_name text,
  models_per_day integer,
  trainings_in_flight integer,
  chat_messages_per_day integer,
  max_examples integer
)
language sql
stable
security invoker
set search_path = ''
as $$
  select chosen.id,
         coalesce(p.name, initcap(chosen.id)),
         coalesce(p.models_per_day, p_models_per_day),
         coalesce(p.trainings_in_flight, p_trainings_in_flight),
         coalesce(p.chat_messages_per_day, p_chat_messages_per_day),
         coalesce(p.max_examples, p_max_examples)
  from (select private.plan_of(p_user_id) as id) chosen
  left join public.plans p on p.id = chosen.id;
$$;

revoke all on function private.plan_quotas(uuid, integer, integer, integer, integer) from public, anon, authenticated;
grant execute on function private.plan_quotas(uuid, integer, integer, integer, integer) to service_role;
