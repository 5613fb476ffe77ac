-- What the deployment spent at its providers, per UTC day, user, persona, kind, provider and model,
-- added in the transaction of what each call produced so it counts once or not at all. No foreign
-- keys: spend stays on the books after a deletion. Service path only (admins: analytics).
create table private.spend_ledger (
  day date not null,
  -- Who caused the spend: the user who chatted; the persona's owner for its teacher and training.
  user_id uuid not null,
  model_id uuid not null,
  kind text not null check (kind in ('chat', 'teacher', 'training', 'speech')),
  provider text not null check (char_length(provider) between 1 and 50),
  -- The model the provider billed (a fine-tune by its provider id).
  billed_model text not null check (char_length(billed_model) between 1 and 300),
  requests integer not null default 0 check (requests >= 0),
  input_tokens bigint not null default 0 check (input_tokens >= 0),
  output_tokens bigint not null default 0 check (output_tokens >= 0),
  trained_tokens bigint not null default 0 check (trained_tokens >= 0),
  -- Characters read aloud (speech).
  characters bigint not null default 0 check (characters >= 0),
  cost_usd numeric(14, 6) not null default 0 check (cost_usd >= 0),
  updated_at timestamptz not null default now(),
  primary key (day, user_id, model_id, kind, provider, billed_model)
);

comment on table private.spend_ledger is
  'Provider spend per UTC day, user, persona, kind, provider and billed model: tokens and estimated USD.';

-- A user's spend over days (their usage, the per-user alerts).
create index spend_ledger_user_day_idx on private.spend_ledger (user_id, day);
-- Spend per persona (analytics; a persona's cost).
create index spend_ledger_model_idx on private.spend_ledger (model_id, day);

alter table private.spend_ledger enable row level security;
revoke all on table private.spend_ledger from public, anon, authenticated;
grant select, insert, update on table private.spend_ledger to service_role;

-- Adds priced calls to the ledger. `p_entries` is a JSON array of
-- { user_id, model_id, kind, provider, billed_model, price_model?, fine_tuned?, requests?,
--   input_tokens?, output_tokens?, trained_tokens?, characters? }: `price_model` names the row of
-- private.model_prices (a fine-tune prices as its base, `fine_tuned` true), default billed_model.
-- Entries for the same key add up. Answers the USD it recorded. Call it inside the transaction
-- that stores what the calls produced.
create or replace function private.record_spend(p_entries jsonb)
returns numeric
language plpgsql
security invoker
set search_path = ''
as $$
declare
  recorded numeric := 0;
begin
  if p_entries is null or pg_catalog.jsonb_typeof(p_entries) <> 'array' or pg_catalog.jsonb_array_length(p_entries) = 0 then
    return 0;
  end if;
  with entries as (
    select (pg_catalog.now() at time zone 'utc')::date as day,
           e.user_id, e.model_id, e.kind, e.provider, e.billed_model,
           coalesce(e.requests, 1) as requests,
           greatest(coalesce(e.input_tokens, 0), 0) as input_tokens,
           greatest(coalesce(e.output_tokens, 0), 0) as output_tokens,
           greatest(coalesce(e.trained_tokens, 0), 0) as trained_tokens,
           greatest(coalesce(e.characters, 0), 0) as characters,
           (greatest(coalesce(e.input_tokens, 0), 0)
              * case when e.fine_tuned then coalesce(p.fine_tuned_input_usd_per_mtok, p.input_usd_per_mtok) else p.input_usd_per_mtok end
            + greatest(coalesce(e.output_tokens, 0), 0)
              * case when e.fine_tuned then coalesce(p.fine_tuned_output_usd_per_mtok, p.output_usd_per_mtok) else p.output_usd_per_mtok end
            + greatest(coalesce(e.trained_tokens, 0), 0) * coalesce(p.training_usd_per_mtok, 0)
            + greatest(coalesce(e.characters, 0), 0) * coalesce(p.speech_usd_per_mchar, 0)
           ) / 1000000 as cost_usd
    from pg_catalog.jsonb_to_recordset(p_entries) as e (
      user_id uuid, model_id uuid, kind text, provider text, billed_model text, price_model text,
      fine_tuned boolean, requests integer, input_tokens bigint, output_tokens bigint, trained_tokens bigint,
      characters bigint)
    cross join lateral private.model_price(e.provider, coalesce(e.price_model, e.billed_model)) p
  ),
  summed as (
    select day, user_id, model_id, kind, provider, billed_model,
           sum(requests)::integer as requests, sum(input_tokens) as input_tokens,
           sum(output_tokens) as output_tokens, sum(trained_tokens) as trained_tokens,
           sum(characters) as characters, sum(cost_usd) as cost_usd
    from entries
    group by day, user_id, model_id, kind, provider, billed_model
  ),
  written as (
    insert into private.spend_ledger as l
      (day, user_id, model_id, kind, provider, billed_model, requests, input_tokens, output_tokens,
       trained_tokens, characters, cost_usd)
    select day, user_id, model_id, kind, provider, billed_model, requests, input_tokens,
           output_tokens, trained_tokens, characters, cost_usd
    from summed
    on conflict (day, user_id, model_id, kind, provider, billed_model) do update
    set requests = l.requests + excluded.requests,
        input_tokens = l.input_tokens + excluded.input_tokens,
        output_tokens = l.output_tokens + excluded.output_tokens,
        trained_tokens = l.trained_tokens + excluded.trained_tokens,
        characters = l.characters + excluded.characters,
        cost_usd = l.cost_usd + excluded.cost_usd,
        updated_at = pg_catalog.now()
    returning 1
  )
  -- The insert runs whatever reads it (a data-modifying WITH always does).
  select coalesce(sum(s.cost_usd), 0) into recorded from summed s;
  return recorded;
end;
$$;

revoke all on function private.record_spend(jsonb) from public, anon, authenticated;
grant execute on function private.record_spend(jsonb) to service_role;

-- A training run is billed when it completes: the write-back that marks it completed (the sync's
-- or the webhook's, each written once behind its status fence) records its trained tokens in the
-- same transaction, for the persona's owner.
create or replace function private.record_training_spend()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.record_spend(pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
    'user_id', m.created_by, 'model_id', new.model_id, 'kind', 'training', 'provider', new.provider,
    'billed_model', coalesce(new.base_model, 'unknown'), 'trained_tokens', new.trained_tokens)))
  from private.fine_tuned_models m
  where m.id = new.model_id;
  return null;
end;
$$;

revoke all on function private.record_training_spend() from public, anon, authenticated;

create trigger record_training_spend
  after update of status on public.training_runs
  for each row
  when (new.status = 'completed' and old.status is distinct from 'completed' and new.trained_tokens is not null)
  execute function private.record_training_spend();

-- A user's spend per UTC day over the last `p_days` days (today included), newest first: what
-- the usage endpoint shows a user.
create or replace function private.user_daily_spend(p_user_id uuid, p_days integer default 30)
returns table (day date, requests bigint, input_tokens bigint, output_tokens bigint, trained_tokens bigint, cost_usd numeric)
language sql
stable
security invoker
set search_path = ''
as $$
  select l.day, sum(l.requests)::bigint, sum(l.input_tokens)::bigint, sum(l.output_tokens)::bigint,
         sum(l.trained_tokens)::bigint, sum(l.cost_usd)
  from private.spend_ledger l
  where l.user_id = p_user_id
    and l.day > (pg_catalog.now() at time zone 'utc')::date - greatest(p_days, 1)
  group by l.day
  order by l.day desc
$$;

revoke all on function private.user_daily_spend(uuid, integer) from public, anon, authenticated;
grant execute on function private.user_daily_spend(uuid, integer) to service_role;

-- The whole deployment's spend today (UTC), in USD.
create or replace function private.deployment_spend_today()
returns numeric
language sql
stable
security invoker
set search_path = ''
as $$
  select coalesce(sum(l.cost_usd), 0)
  from private.spend_ledger l
  where l.day = (pg_catalog.now() at time zone 'utc')::date
$$;

revoke all on function private.deployment_spend_today() from public, anon, authenticated;
grant execute on function private.deployment_spend_today() to service_role;

-- True when today's spend has reached `p_limit` USD (DAILY_SPEND_LIMIT_USD): chat then refuses,
-- and the training queue must start no new run until the next UTC midnight. Null limit: never.
create or replace function private.deployment_spend_limit_reached(p_limit numeric)
returns boolean
language sql
stable
security invoker
set search_path = ''
as $$
  select p_limit is not null and private.deployment_spend_today() >= p_limit
$$;

revoke all on function private.deployment_spend_limit_reached(numeric) from public, anon, authenticated;
grant execute on function private.deployment_spend_limit_reached(numeric) to service_role;
