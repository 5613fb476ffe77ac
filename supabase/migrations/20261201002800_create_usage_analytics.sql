-- Usage analytics for admins: security_invoker views in a schema the Data API does not expose and
-- no client may use, read in the SQL editor and by the admin-only fine-tune-analytics function.
create schema if not exists analytics;
comment on schema analytics is 'Usage analytics for admins (dashboard SQL editor, fine-tune-analytics); never exposed to clients.';
revoke all on schema analytics from public, anon, authenticated;
grant usage on schema analytics to service_role;

-- Personas chatted with lately, most first: their one-to-one chats and the distinct users behind
-- them in the last 7 and 30 days. Ordered (and, with a limit, read) by recent_chat_count, the
-- hourly figure of the last 30 days, so `order by recent_chat_count desc limit 20` reads 20 rows of
-- an index and counts each persona's own chats only.
create view analytics.popular_models
with (security_invoker = true)
as
select
  m.id as model_id, m.name, m.type, m.book_id, m.is_public, m.provider, m.chat_count, m.recent_chat_count,
  s.chats_7d, s.users_7d, s.chats_30d, s.users_30d
from private.fine_tuned_models m
cross join lateral (
  select count(*) filter (where c.created_at > pg_catalog.now() - interval '7 days') as chats_7d,
         count(distinct c.user_id) filter (where c.created_at > pg_catalog.now() - interval '7 days') as users_7d,
         count(*) as chats_30d,
         count(distinct c.user_id) as users_30d
  from public.fine_tuned_chats c
  where c.model_id = m.id and c.created_at > pg_catalog.now() - interval '30 days'
) s
where m.recent_chat_count > 0;

-- Per UTC day over the last 90 days: the replies answered (one-to-one and group), the users who
-- chatted, the personas created, and the spend (USD) and tokens. Read from the spend ledger (a row
-- per user, persona and day), not from the chats themselves, so it stays cheap at millions of chats.
create view analytics.daily_usage
with (security_invoker = true)
as
with days as (
  select d::date as day
  from pg_catalog.generate_series((pg_catalog.now() at time zone 'utc')::date - 89,
                                  (pg_catalog.now() at time zone 'utc')::date, interval '1 day') as d
),
chats as (
  select l.day, sum(l.requests) as chats, count(distinct l.user_id) as active_users
  from private.spend_ledger l
  where l.kind = 'chat' and l.day >= (pg_catalog.now() at time zone 'utc')::date - 89
  group by l.day
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
       coalesce(sum(l.cost_usd) filter (where l.kind = 'speech'), 0) as speech_usd,
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
       sum(l.trained_tokens) as trained_tokens_30d,
       sum(l.characters) as characters_30d
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

-- The runs waiting for a provider job, for the queue's count at scale.
create index training_runs_waiting_idx on public.training_runs (created_at)
  where provider_job_id is null and status not in ('completed', 'failed', 'unavailable', 'cancelled');

revoke all on all tables in schema analytics from public, anon, authenticated;
grant select on all tables in schema analytics to service_role;
