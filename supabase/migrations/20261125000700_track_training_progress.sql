-- What the training sync and the OpenAI webhook keep beyond the lifecycle columns.

-- The provider's job as last seen, for clients (progress) and the sync (backoff, giving up); readable
-- by clients, written only by the service (insert and update are granted as column lists without it).
alter table public.fine_tuned_models
  add column training_progress jsonb
    constraint fine_tuned_models_training_progress_is_object
    check (training_progress is null or jsonb_typeof(training_progress) = 'object');

comment on column public.fine_tuned_models.training_progress is
  'Provider job as last seen by the training sync or webhook: providerStatus, step, totalSteps, percent, estimatedFinish, statusSince, lastChangeAt, checkedAt.';

-- Webhook deliveries already handled, by webhook-id: a redelivery (at-least-once) is not acted on twice.
create table private.openai_webhook_deliveries (
  webhook_id text primary key check (char_length(webhook_id) between 1 and 200),
  event_type text not null check (char_length(event_type) <= 200),
  received_at timestamptz not null default now()
);

comment on table private.openai_webhook_deliveries is
  'Webhook deliveries already handled (by webhook-id), kept one week to ignore redeliveries.';

-- Only the webhook (service role) reads and writes it; private is not exposed by the Data API either.
revoke all on table private.openai_webhook_deliveries from public, anon, authenticated;
grant select, insert, delete on table private.openai_webhook_deliveries to service_role;

-- The purge below deletes by age.
create index openai_webhook_deliveries_received_idx
  on private.openai_webhook_deliveries (received_at);

-- OpenAI retries a delivery for up to 72 hours: a week of ids covers every redelivery and stays small.
do $$
begin
  if to_regnamespace('cron') is not null then
    perform cron.schedule(
      'purge-openai-webhook-deliveries',
      '41 3 * * *',
      $cmd$delete from private.openai_webhook_deliveries where received_at < now() - interval '7 days'$cmd$
    );
  end if;
end
$$;
