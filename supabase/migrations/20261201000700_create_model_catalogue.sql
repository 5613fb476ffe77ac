-- The models this deployment may call, per provider: purpose, request parameters, shutdown date.
-- Providers retire models on dates they publish, so the sync refreshes these rows and every request
-- reads them; no code decides a model's life. Service path only.
create table private.model_catalogue (
  provider text not null check (char_length(provider) between 1 and 50),
  model_id text not null check (char_length(model_id) between 1 and 200),
  -- chat: the persona fallback may use it; teacher: it may write training data; fine_tune_base:
  -- new fine-tunes may start from it.
  purposes text[] not null default '{}'
    check (purposes <@ array['chat', 'teacher', 'fine_tune_base']::text[]),
  -- How the reply's length is capped: gpt-5+/gpt-6 refuse max_tokens.
  token_parameter text not null default 'max_tokens'
    check (token_parameter in ('max_tokens', 'max_completion_tokens')),
  -- accepted; refused (newer Claude models); without_reasoning (gpt-5+/gpt-6: only with effort none).
  temperature text not null default 'accepted'
    check (temperature in ('accepted', 'refused', 'without_reasoning')),
  takes_reasoning_effort boolean not null default false,
  -- From this day on (UTC) the provider answers 404: no request is sent.
  shutdown_date date,
  -- From this day on the provider starts no new fine-tuning job on this base.
  fine_tuning_closes_on date,
  -- provider: the date came from the provider's model list; fallback: from the documented table
  -- below (the provider does not say); none: no date is known.
  shutdown_source text not null default 'none' check (shutdown_source in ('provider', 'fallback', 'none')),
  -- When the provider's model list last named it (null: never seen there).
  listed_at timestamptz,
  refreshed_at timestamptz not null default now(),
  primary key (provider, model_id)
);

comment on table private.model_catalogue is
  'Models per provider: purposes, request parameter rules and shutdown dates (refreshed by the training sync).';

alter table private.model_catalogue enable row level security;
revoke all on table private.model_catalogue from public, anon, authenticated;
grant select, insert, update, delete on table private.model_catalogue to service_role;

-- The documented fallback table: what the providers' model lists do not say. OpenAI's list says
-- neither purposes nor parameter rules, and Anthropic's says no dates; these dates are from
-- OpenAI's deprecations page (2026). A provider's own shutdown_date replaces the date here on the
-- next refresh.
insert into private.model_catalogue
  (provider, model_id, purposes, token_parameter, temperature, takes_reasoning_effort,
   shutdown_date, fine_tuning_closes_on, shutdown_source)
values
  ('openai', 'gpt-6-luna', '{chat,teacher}', 'max_completion_tokens', 'without_reasoning', true, null, null, 'none'),
  ('openai', 'gpt-5', '{chat,teacher}', 'max_completion_tokens', 'without_reasoning', true, '2026-12-11', null, 'fallback'),
  ('openai', 'gpt-5-mini', '{chat,teacher}', 'max_completion_tokens', 'without_reasoning', true, '2026-12-11', null, 'fallback'),
  ('openai', 'gpt-5-nano', '{chat}', 'max_completion_tokens', 'without_reasoning', true, '2026-12-11', null, 'fallback'),
  ('openai', 'gpt-4.1-2025-04-14', '{chat,teacher,fine_tune_base}', 'max_tokens', 'accepted', false, '2027-01-14', '2027-01-06', 'fallback'),
  ('openai', 'gpt-4.1-mini-2025-04-14', '{chat,teacher,fine_tune_base}', 'max_tokens', 'accepted', false, '2027-01-14', '2027-01-06', 'fallback'),
  ('openai', 'gpt-4o-2024-08-06', '{chat,teacher,fine_tune_base}', 'max_tokens', 'accepted', false, '2027-01-14', '2027-01-06', 'fallback'),
  ('openai', 'gpt-4o-mini-2024-07-18', '{chat,teacher,fine_tune_base}', 'max_tokens', 'accepted', false, '2027-01-14', '2027-01-06', 'fallback'),
  ('openai', 'gpt-4.1', '{chat,teacher}', 'max_tokens', 'accepted', false, '2027-01-14', null, 'fallback'),
  ('openai', 'gpt-4.1-mini', '{chat,teacher}', 'max_tokens', 'accepted', false, '2027-01-14', null, 'fallback'),
  ('openai', 'gpt-4o', '{chat,teacher}', 'max_tokens', 'accepted', false, '2027-01-14', null, 'fallback'),
  ('openai', 'gpt-4o-mini', '{chat,teacher}', 'max_tokens', 'accepted', false, '2027-01-14', null, 'fallback'),
  ('openai', 'gpt-4.1-nano-2025-04-14', '{}', 'max_tokens', 'accepted', false, '2026-10-23', '2026-10-23', 'fallback'),
  ('openai', 'gpt-4.1-nano', '{}', 'max_tokens', 'accepted', false, '2026-10-23', null, 'fallback'),
  ('openai', 'gpt-3.5-turbo', '{}', 'max_tokens', 'accepted', false, '2026-10-23', null, 'fallback'),
  ('openai', 'gpt-3.5-turbo-0125', '{}', 'max_tokens', 'accepted', false, '2026-10-23', '2026-10-23', 'fallback'),
  ('anthropic', 'claude-sonnet-4-5', '{chat,teacher}', 'max_tokens', 'accepted', false, null, null, 'none'),
  ('anthropic', 'claude-haiku-4-5', '{chat,teacher}', 'max_tokens', 'accepted', false, null, null, 'none'),
  ('anthropic', 'claude-opus-4-7', '{chat,teacher}', 'max_tokens', 'refused', false, null, null, 'none');

-- Every persona answering with a fine-tune, with the day that fine-tune shuts down (with its base
-- model) where the catalogue knows it: what the admin view below and the sync's retraining before a
-- shutdown read. In private, which the Data API does not expose; security_invoker so it reads with
-- the caller's rights.
create view private.fine_tune_shutdowns
with (security_invoker = true)
as
select
  m.id as model_id, m.name, m.type, m.book_id, m.created_by, m.openai_model_id as fine_tuned_model,
  m.provider, b.base_model, c.shutdown_date
from private.fine_tuned_models m
-- The base the fine-tune was trained on: its run's, else the model's own choice.
cross join lateral (
  select coalesce((
    select r.base_model from public.training_runs r
    where r.model_id = m.id and r.fine_tuned_model = m.openai_model_id
    order by r.created_at desc limit 1
  ), m.base_model) as base_model
) b
join private.model_catalogue c on c.provider = m.provider and c.model_id = b.base_model
where m.chat_mode = 'fine-tuned'
  and c.shutdown_date is not null;

comment on view private.fine_tune_shutdowns is
  'Personas answering with a fine-tune whose base model has a known shutdown date.';

revoke all on table private.fine_tune_shutdowns from public, anon, authenticated;
grant select on table private.fine_tune_shutdowns to service_role;

-- Admins (SQL editor): every persona whose fine-tune dies within 30 days, or already has, with the
-- day it does.
create view private.personas_near_shutdown
with (security_invoker = true)
as
select s.*, s.shutdown_date - (now() at time zone 'utc')::date as days_left
from private.fine_tune_shutdowns s
where s.shutdown_date <= (now() at time zone 'utc')::date + 30;

comment on view private.personas_near_shutdown is
  'Personas whose fine-tune shuts down within 30 days (or has): for admins planning retraining.';

revoke all on table private.personas_near_shutdown from public, anon, authenticated;
grant select on table private.personas_near_shutdown to service_role;
