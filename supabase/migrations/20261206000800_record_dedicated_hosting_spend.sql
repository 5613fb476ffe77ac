-- Dedicated hosting (a Together endpoint that serves the persona adapters) is billed per minute
-- while it runs, not per call: the ledger gets its own kind, the minutes, and a function the sync
-- calls each tick. Hosting belongs to no user or persona: both are the nil uuid (the deployment).
alter table private.spend_ledger drop constraint spend_ledger_kind_check;
alter table private.spend_ledger add constraint spend_ledger_kind_check
  check (kind in ('chat', 'teacher', 'training', 'speech', 'hosting'));
alter table private.spend_ledger
  add column hosted_minutes numeric(14, 3) not null default 0 check (hosted_minutes >= 0);

comment on column private.spend_ledger.hosted_minutes is
  'Minutes a dedicated hosting (kind hosting) ran, as the sync saw it between its ticks.';

create or replace function private.record_hosting_spend(
  p_provider text,
  p_billed_model text,
  p_running boolean,
  p_usd_per_minute numeric
)
returns numeric
language plpgsql
security invoker
set search_path = ''
as $$
declare
  nil constant uuid := '00000000-0000-0000-0000-000000000000';
  today constant date := (pg_catalog.now() at time zone 'utc')::date;
  last_tick timestamptz;
  minutes numeric := 0;
begin
  -- Two sync runs at once must not both bill the same minutes.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('hosting:' || p_provider || ':' || p_billed_model));
  select max(l.updated_at) into last_tick
  from private.spend_ledger l
  where l.day >= today - 1 and l.user_id = nil and l.model_id = nil and l.kind = 'hosting'
    and l.provider = p_provider and l.billed_model = p_billed_model;
  -- The minutes since the last tick count when the hosting runs now (the first tick only starts the clock).
  if last_tick is not null and p_running then
    minutes := round((extract(epoch from pg_catalog.now() - last_tick) / 60)::numeric, 3);
  end if;
  insert into private.spend_ledger as l
    (day, user_id, model_id, kind, provider, billed_model, requests, hosted_minutes, cost_usd)
  values (today, nil, nil, 'hosting', p_provider, p_billed_model, 0, minutes, minutes * greatest(p_usd_per_minute, 0))
  on conflict (day, user_id, model_id, kind, provider, billed_model) do update
  set hosted_minutes = l.hosted_minutes + excluded.hosted_minutes,
      cost_usd = l.cost_usd + excluded.cost_usd,
      updated_at = pg_catalog.now();
  return minutes;
end;
$$;

comment on function private.record_hosting_spend(text, text, boolean, numeric) is
  'Records a per-minute hosting''s minutes since the last sync tick (when it runs now) and their USD; answers the minutes.';

revoke all on function private.record_hosting_spend(text, text, boolean, numeric) from public, anon, authenticated;
grant execute on function private.record_hosting_spend(text, text, boolean, numeric) to service_role;

-- Chat on a dedicated endpoint costs nothing per token (its cost is the hosting above): the price
-- a fine-tune answered there is priced as.
insert into private.model_prices (provider, model_id, input_usd_per_mtok, output_usd_per_mtok, fine_tuned_input_usd_per_mtok,
                                  fine_tuned_output_usd_per_mtok, training_usd_per_mtok, source)
values ('together', 'dedicated-endpoint', 0, 0, 0, 0, null,
        'Together dedicated endpoints bill per minute of uptime (kind hosting), not per token')
on conflict do nothing;
