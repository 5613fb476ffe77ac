-- Spend alerts: one row per threshold crossed per UTC day, so each is raised once however often it
-- is checked, and its webhook delivery is retried until delivered. Service path only.
create table private.spend_alerts (
  id uuid primary key default gen_random_uuid(),
  day date not null,
  -- user: one user's spend today; deployment: the whole deployment's; limit: a share of the limit.
  scope text not null check (scope in ('user', 'deployment', 'limit')),
  -- The user for scope user; '' for the deployment-wide scopes.
  subject text not null default '' check (char_length(subject) <= 100),
  threshold_usd numeric(14, 6) not null check (threshold_usd >= 0),
  spent_usd numeric(14, 6) not null check (spent_usd >= 0),
  raised_at timestamptz not null default now(),
  -- Webhook delivery (null delivered_at: not delivered yet, or no webhook configured).
  delivered_at timestamptz,
  delivery_attempts integer not null default 0 check (delivery_attempts >= 0),
  last_delivery_error text check (char_length(last_delivery_error) <= 500),
  unique (day, scope, subject, threshold_usd)
);

comment on table private.spend_alerts is
  'Spend thresholds crossed, once per threshold and UTC day, and their webhook deliveries.';

-- The alerts still to deliver (the sync retries them).
create index spend_alerts_undelivered_idx on private.spend_alerts (raised_at) where delivered_at is null;

alter table private.spend_alerts enable row level security;
revoke all on table private.spend_alerts from public, anon, authenticated;
grant select, insert, update on table private.spend_alerts to service_role;

-- Raises today's alerts that are due and not yet raised, and answers the new ones. A user alert
-- for every user whose spend today reached `p_user_threshold`; deployment alerts for every entry
-- of `p_deployment_thresholds` (USD) today's total reached; `limit` alerts for every entry of
-- `p_limit_thresholds` (USD: shares of the daily limit). Thresholds that are null or empty raise
-- nothing. The unique key makes a repeated or concurrent check raise nothing twice.
create or replace function private.raise_spend_alerts(
  p_user_threshold numeric,
  p_deployment_thresholds numeric[],
  p_limit_thresholds numeric[]
)
returns setof private.spend_alerts
language sql
security invoker
set search_path = ''
as $$
  with today as (
    select (pg_catalog.now() at time zone 'utc')::date as day
  ),
  per_user as (
    select l.user_id, sum(l.cost_usd) as spent
    from private.spend_ledger l, today t
    where l.day = t.day and p_user_threshold is not null
    group by l.user_id
    having sum(l.cost_usd) >= p_user_threshold
  ),
  total as (
    select coalesce(sum(l.cost_usd), 0) as spent
    from private.spend_ledger l, today t
    where l.day = t.day
  ),
  due as (
    select 'user'::text as scope, u.user_id::text as subject, p_user_threshold as threshold, u.spent
    from per_user u
    union all
    select 'deployment', '', d.threshold, t.spent
    from unnest(coalesce(p_deployment_thresholds, '{}')) as d (threshold), total t
    where t.spent >= d.threshold
    union all
    select 'limit', '', d.threshold, t.spent
    from unnest(coalesce(p_limit_thresholds, '{}')) as d (threshold), total t
    where t.spent >= d.threshold
  )
  insert into private.spend_alerts (day, scope, subject, threshold_usd, spent_usd)
  select t.day, d.scope, d.subject, d.threshold, d.spent
  from due d, today t
  on conflict (day, scope, subject, threshold_usd) do nothing
  returning *
$$;

revoke all on function private.raise_spend_alerts(numeric, numeric[], numeric[]) from public, anon, authenticated;
grant execute on function private.raise_spend_alerts(numeric, numeric[], numeric[]) to service_role;
