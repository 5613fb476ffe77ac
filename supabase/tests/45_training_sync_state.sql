-- What the training sync and the OpenAI webhook keep: the job's progress on each training run
-- (the owner reads it, only the service writes it) and the webhook deliveries already handled
-- (private, purged). The model row no longer carries the sync's bookkeeping.
-- The claims themselves (skip locked, leases) need concurrent sessions: the vitest integration
-- suite tests those against this same database.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(15);

\ir helpers/identities.psql

insert into auth.users (id, email) values ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test');
-- A model inserted while training: its first run is training too (see 35_training_run_on_model).
insert into private.fine_tuned_models (id, name, type, entity_name, book_id, status, openai_job_id, created_by)
values ('aaaaaaaa-0000-4000-8000-000000000045', 'Owner model', 'author', 'Mary Shelley', 'sync-state-book',
        'training', 'ftjob-sync-state', '11111111-1111-4111-8111-111111111111');
update public.training_runs set progress = '{"providerStatus": "running", "step": 3, "totalSteps": 20}'
where model_id = 'aaaaaaaa-0000-4000-8000-000000000045';

-- progress ---------------------------------------------------------------------------------------

select columns_are(
  'private', 'fine_tuned_models',
  array['id', 'name', 'type', 'entity_id', 'entity_name', 'book_id', 'book_info', 'description',
        'is_public', 'quick_tune', 'base_model', 'provider', 'status', 'openai_job_id', 'openai_model_id',
        'training_file_id', 'training_data_summary', 'style_description', 'training_tokens',
        'estimated_cost_usd', 'error', 'chat_count', 'last_used_at', 'created_by', 'created_at',
        'updated_at', 'training_started_at', 'training_completed_at', 'fine_tuned_model_retired_at',
        'starter_prompts', 'sample_text', 'entity_key', 'chat_mode', 'greeting', 'fine_tune_provider',
        'fine_tune_base_model', 'recent_chat_count', 'voice', 'alternate_greetings'],
  'the model keeps no sync bookkeeping (next_check_at, lease_expires_at, check_attempts, training_progress)'
);

select col_type_is('public', 'training_runs', 'progress', 'jsonb', 'a run''s progress is jsonb');

select throws_ok(
  $$ update public.training_runs set progress = '[1, 2]' where model_id = 'aaaaaaaa-0000-4000-8000-000000000045' $$,
  '23514', null,
  'progress must be a JSON object'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$ select progress ->> 'step' from public.training_runs where model_id = 'aaaaaaaa-0000-4000-8000-000000000045' $$,
  $$ values ('3'::text) $$,
  'the owner reads the progress of their model''s run'
);

select throws_ok(
  $$ update public.training_runs set progress = '{"percent": 100}' where model_id = 'aaaaaaaa-0000-4000-8000-000000000045' $$,
  '42501', 'permission denied for table training_runs',
  'the owner cannot write the progress'
);

select throws_ok(
  $$
    insert into public.training_runs (model_id, provider, progress)
    values ('aaaaaaaa-0000-4000-8000-000000000045', 'openai', '{"percent": 100}')
  $$,
  '42501', 'permission denied for table training_runs',
  'a client cannot insert a progress'
);

select pg_temp.clear_authentication();

-- The service's polls: progress, next check and attempts move; the run is not edited by them.
select pg_temp.authenticate_as_service_role();

select results_eq(
  $$
    update public.training_runs
    set progress = '{"providerStatus": "running", "step": 4, "totalSteps": 20}',
        next_check_at = now() + interval '1 minute', attempts = attempts + 1
    where model_id = 'aaaaaaaa-0000-4000-8000-000000000045'
    returning progress ->> 'step', attempts, updated_at = created_at
  $$,
  $$ values ('4'::text, 1, true) $$,
  'the service records a poll; the run''s updated_at stays put'
);

select pg_temp.clear_authentication();

-- private.openai_webhook_deliveries ---------------------------------------------------------------

select has_pk('private', 'openai_webhook_deliveries', 'deliveries are keyed by webhook-id');

select table_privs_are('private', 'openai_webhook_deliveries', 'anon', array[]::name[], 'anon holds nothing on deliveries');
select table_privs_are(
  'private', 'openai_webhook_deliveries', 'authenticated', array[]::name[], 'authenticated holds nothing on deliveries'
);
select table_privs_are(
  'private', 'openai_webhook_deliveries', 'service_role', array['SELECT', 'INSERT', 'DELETE']::name[],
  'the service role records, reads and forgets deliveries'
);

set local role service_role;

select results_eq(
  $$
    insert into private.openai_webhook_deliveries (webhook_id, event_type)
    values ('msg_45', 'fine_tuning.job.succeeded')
    on conflict (webhook_id) do nothing returning webhook_id
  $$,
  $$ values ('msg_45'::text) $$,
  'the first delivery of an id is recorded'
);

select is_empty(
  $$
    insert into private.openai_webhook_deliveries (webhook_id, event_type)
    values ('msg_45', 'fine_tuning.job.succeeded')
    on conflict (webhook_id) do nothing returning webhook_id
  $$,
  'a redelivery of the same id records nothing (so it is not acted on again)'
);

reset role;

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');
select throws_ok(
  $$ select count(*) from private.openai_webhook_deliveries $$,
  '42501', 'permission denied for table openai_webhook_deliveries',
  'a signed-in client cannot see deliveries'
);
select pg_temp.clear_authentication();

-- The purge keeps a week of ids (OpenAI retries a delivery for up to three days).

select case when to_regnamespace('cron') is null then skip('pg_cron is not installed', 1) else
  results_eq(
    $$
      select schedule, command, active
      from cron.job where jobname = 'purge-openai-webhook-deliveries'
    $$,
    $$
      values ('41 3 * * *'::text,
              'delete from private.openai_webhook_deliveries where received_at < now() - interval ''7 days'''::text,
              true)
    $$,
    'purge-openai-webhook-deliveries runs daily and keeps seven days'
  )
end;

select * from finish();
rollback;
