-- What the training sync and the OpenAI webhook keep: the job's progress on each model (clients
-- read it, only the service writes it) and the webhook deliveries already handled (private, purged).
-- The claims themselves (skip locked, leases) need concurrent sessions: the vitest integration
-- suite tests those against this same database.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(13);

\ir helpers/identities.psql

insert into auth.users (id, email) values ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test');
insert into public.fine_tuned_models (id, name, type, entity_name, book_id, status, openai_job_id, created_by, training_progress)
values ('aaaaaaaa-0000-4000-8000-000000000045', 'Owner model', 'author', 'Mary Shelley', 'sync-state-book',
        'training', 'ftjob-sync-state', '11111111-1111-4111-8111-111111111111',
        '{"providerStatus": "running", "step": 3, "totalSteps": 20}');

-- training_progress ------------------------------------------------------------------------------

select col_type_is('public', 'fine_tuned_models', 'training_progress', 'jsonb', 'training_progress is jsonb');

select throws_ok(
  $$ update public.fine_tuned_models set training_progress = '[1, 2]' where id = 'aaaaaaaa-0000-4000-8000-000000000045' $$,
  '23514', null,
  'training_progress must be a JSON object'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$ select training_progress ->> 'step' from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000045' $$,
  $$ values ('3'::text) $$,
  'the owner reads the progress'
);

select throws_ok(
  $$ update public.fine_tuned_models set training_progress = '{"percent": 100}' where id = 'aaaaaaaa-0000-4000-8000-000000000045' $$,
  '42501', 'permission denied for table fine_tuned_models',
  'the owner cannot write the progress'
);

select throws_ok(
  $$
    insert into public.fine_tuned_models (name, type, entity_name, book_id, training_progress)
    values ('Spoofed', 'author', 'Spoofed', 'sync-state-book', '{"percent": 100}')
  $$,
  '42501', 'permission denied for table fine_tuned_models',
  'a client cannot insert a progress'
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
  '42501', 'permission denied for schema private',
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
