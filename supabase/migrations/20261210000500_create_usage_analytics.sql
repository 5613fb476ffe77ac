-- Usage analytics for admins: views in their own schema, which the Data API does not expose
-- (config.toml's api.schemas is public only) and which no client role may use. Admins query them
-- in the dashboard's SQL editor; the admin-only `fine-tune-analytics` function reads them on the
-- service path. Each is security_invoker, so it reads with the caller's rights.
create schema if not exists analytics;
comment on schema analytics is 'Usage analytics for admins (dashboard SQL editor, fine-tune-analytics); never exposed to clients.';
revoke all on schema analytics from public, anon, authenticated;
grant usage on schema analytics to service_role;

-- Personas by one-to-one chats in the last 7 and 30 days, with the distinct users behind them.
create view analytics.popular_models
with (security_invoker = true)
as
select
  m.id as model_id, m.name, m.type, m.book_id, m.is_public, m.provider, m.chat_count,
  r.chats_7d, r.users_7d, r.chats_30d, r.users_30d
from (
  select c.model_id,
         count(*) filter (where c.created_at > pg_catalog.now() - interval '7 days') as chats_7d,
         count(distinct c.user_id) filter (where c.created_at > pg_catalog.now() - interval '7 days') as users_7d,
         count(*) as chats_30d,
         count(distinct c.user_id) as users_30d
  from public.fine_tuned_chats c
  where c.created_at > pg_catalog.now() - interval '30 days'
  group by c.model_id
) r
join private.fine_tuned_models m on m.id = r.model_id;

-- Per UTC day over the last 90 days: one-to-one chats, the users who chatted, the personas
-- created, and the spend (USD) the ledger recorded.
create view analytics.daily_usage
with (security_invoker = true)
as
with days as (
  select d::date as day
  from pg_catalog.generate_series((pg_catalog.now() at time zone 'utc')::date - 89,
                                  (pg_catalog.now() at time zone 'utc')::date, interval '1 day') as d
),
chats as (
  select (c.created_at at time zone 'utc')::date as day, count(*) as chats, count(distinct c.user_id) as active_users
  from public.fine_tuned_chats c
  where c.created_at >= ((pg_catalog.now() at time zone 'utc')::date - 89)::timestamp at time zone 'utc'
  group by 1
),
created as (
  select (m.created_at at time zone 'utc')::date as day, count(*) as models_created
  from private.fine_tuned_models m
  where m.created_at >= ((pg_catalog.now() at time zone 'utc')::date - 89)::timestamp at time zone 'utc'
  group by 1
),
spend as (
  select l.day, sum(l.cost_usd) as spend_usd, sum(l.input_tokens + l.output_tokens + l.trained_tokens) as tokens
  from private.spend_ledger l
  where l.day >= (pg_catalog.now() at time zone 'utc')::date - 89
  group by l.day
)
select d.day, coalesce(c.chats, 0) as chats, coalesce(c.active_users, 0) as active_users,
       coalesce(n.models_created, 0) as models_created, coalesce(s.tokens, 0) as tokens,
       coalesce(s.spend_usd, 0) as spend_usd
from days d
left join chats c on c.day = d.day
left join created n on n.day = d.day
left join spend s on s.day = d.day;

-- Spend per user over the last 30 days and today (USD), dearest first.
create view analytics.spend_per_user
with (security_invoker = true)
as
select l.user_id,
       sum(l.cost_usd) as spend_30d_usd,
       coalesce(sum(l.cost_usd) filter (where l.day = (pg_catalog.now() at time zone 'utc')::date), 0) as spend_today_usd,
       sum(l.requests) as requests_30d,
       sum(l.input_tokens + l.output_tokens + l.trained_tokens) as tokens_30d
from private.spend_ledger l
where l.day > (pg_catalog.now() at time zone 'utc')::date - 30
group by l.user_id;

-- Spend per persona over the last 30 days, by kind of call (USD).
create view analytics.spend_per_model
with (security_invoker = true)
as
select l.model_id, m.name,
       sum(l.cost_usd) as spend_30d_usd,
       coalesce(sum(l.cost_usd) filter (where l.kind = 'chat'), 0) as chat_usd,
       coalesce(sum(l.cost_usd) filter (where l.kind = 'teacher'), 0) as teacher_usd,
       coalesce(sum(l.cost_usd) filter (where l.kind = 'training'), 0) as training_usd,
       sum(l.requests) as requests_30d
from private.spend_ledger l
left join private.fine_tuned_models m on m.id = l.model_id
where l.day > (pg_catalog.now() at time zone 'utc')::date - 30
group by l.model_id, m.name;

-- Spend per provider, billed model and kind over the last 30 days.
create view analytics.spend_per_provider
with (security_invoker = true)
as
select l.provider, l.billed_model, l.kind,
       sum(l.cost_usd) as spend_30d_usd,
       sum(l.requests) as requests_30d,
       sum(l.input_tokens) as input_tokens_30d,
       sum(l.output_tokens) as output_tokens_30d,
       sum(l.trained_tokens) as trained_tokens_30d
from private.spend_ledger l
where l.day > (pg_catalog.now() at time zone 'utc')::date - 30
group by l.provider, l.billed_model, l.kind;

-- Training runs by provider: how many completed, failed or went to persona mode, how many are in
-- flight, and the median time from a run's creation to its completion.
create view analytics.training_outcomes
with (security_invoker = true)
as
select r.provider,
       count(*) as runs,
       count(*) filter (where r.status = 'completed') as completed,
       count(*) filter (where r.status = 'failed') as failed,
       count(*) filter (where r.status = 'unavailable') as persona_mode,
       count(*) filter (where r.status = 'cancelled') as cancelled,
       count(*) filter (where r.status not in ('completed', 'failed', 'unavailable', 'cancelled')) as in_flight,
       pg_catalog.percentile_cont(0.5) within group (
         order by extract(epoch from r.completed_at - r.created_at)
       ) filter (where r.status = 'completed' and r.completed_at is not null) as median_seconds_to_ready
from public.training_runs r
group by r.provider;

-- Runs waiting to start: not finished and without a provider job yet (whatever state a queue
-- gives them while they wait), oldest first by the wait.
create view analytics.training_queue
with (security_invoker = true)
as
select count(*) as waiting,
       min(r.created_at) as oldest_since,
       count(distinct m.created_by) as users_waiting
from public.training_runs r
join private.fine_tuned_models m on m.id = r.model_id
where r.provider_job_id is null
  and r.status not in ('completed', 'failed', 'unavailable', 'cancelled');

-- Runs by status, for the queue and outcome counts at scale.
create index training_runs_status_idx on public.training_runs (status, provider);

revoke all on all tables in schema analytics from public, anon, authenticated;
grant select on all tables in schema analytics to service_role;
