-- A model row shows its current (newest) training run: inserting a model starts its first run,
-- written with the model's lifecycle values; the service writes runs and the model follows, with
-- the run's statuses mapped to the model's and its summary told as one sentence. Polls that only
-- move the sync's bookkeeping are not changes of the model.
--
-- now() is constant within a transaction, so the model under poll starts with an updated_at far
-- in the past: only then can "unchanged" and "set to now()" be told apart.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(19);

\ir helpers/identities.psql

insert into auth.users (id, email) values ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test');

-- The first run ---------------------------------------------------------------------------------

-- Models are created on the service path (the create functions), for the signed-in user.
select pg_temp.authenticate_as_service_role();

select results_eq(
  $$
    insert into public.fine_tuned_models (created_by, name, type, entity_name, book_id, base_model)
    values ('11111111-1111-4111-8111-111111111111', 'Mary', 'author', 'Mary Shelley', 'mirror-test-book', 'gpt-4.1-mini')
    returning status, chat_mode
  $$,
  $$ values ('pending'::text, 'persona'::text) $$,
  'the service creates a model through the view'
);

-- Clients cannot choose the id: the rest of the file finds the model by this name.
select pg_temp.clear_authentication();
create temporary table mary as select id from private.fine_tuned_models where name = 'Mary';
grant select on mary to authenticated, service_role;
select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$
    select provider, base_model, status, provider_job_id, fine_tuned_model, error
    from public.training_runs where model_id = (select id from mary)
  $$,
  $$ values ('openai'::text, 'gpt-4.1-mini'::text, 'pending'::text, null::text, null::text, null::text) $$,
  'the model has exactly one run, pending, with its provider and base model (started with definer rights)'
);

select pg_temp.clear_authentication();

-- Rows inserted with lifecycle values (the service, an admin, the seed) keep them on the run.
insert into private.fine_tuned_models (id, name, type, entity_name, book_id, created_by, status,
  openai_job_id, training_file_id, openai_model_id, training_tokens, estimated_cost_usd, error,
  training_started_at, training_completed_at) values
  ('bbbbbbbb-0000-4000-8000-000000000001', 'Ready', 'author', 'Ready', 'mirror-test-book', '11111111-1111-4111-8111-111111111111',
   'ready', null, null, null, null, null, 'fine-tuning unavailable', null, null),
  ('bbbbbbbb-0000-4000-8000-000000000002', 'Failed', 'author', 'Failed', 'mirror-test-book', '11111111-1111-4111-8111-111111111111',
   'failed', 'ftjob-failed', 'file-failed', null, null, null, 'job failed', '2001-01-01', null),
  ('bbbbbbbb-0000-4000-8000-000000000003', 'Training', 'author', 'Training', 'mirror-test-book', '11111111-1111-4111-8111-111111111111',
   'training', 'ftjob-training', 'file-training', null, null, null, 'transient note', '2001-01-01', null),
  ('bbbbbbbb-0000-4000-8000-000000000004', 'Completed', 'author', 'Completed', 'mirror-test-book', '11111111-1111-4111-8111-111111111111',
   'completed', 'ftjob-done', 'file-done', 'ft:gpt-4.1-mini:done', 19600, 1.5000, null, '2001-01-01', '2001-01-02');

select results_eq(
  $$
    select model_id, status, provider_job_id, provider_file_id, fine_tuned_model, trained_tokens,
           estimated_cost_usd, error, started_at, completed_at
    from public.training_runs where model_id::text like 'bbbbbbbb-%' order by model_id
  $$,
  $$ values
    ('bbbbbbbb-0000-4000-8000-000000000001'::uuid, 'unavailable'::text, null::text, null::text, null::text, null::integer,
     null::numeric, 'fine-tuning unavailable'::text, null::timestamptz, null::timestamptz),
    ('bbbbbbbb-0000-4000-8000-000000000002'::uuid, 'failed', 'ftjob-failed', 'file-failed', null, null,
     null, 'job failed', '2001-01-01', null),
    ('bbbbbbbb-0000-4000-8000-000000000003'::uuid, 'training', 'ftjob-training', 'file-training', null, null,
     null, null, '2001-01-01', null),
    ('bbbbbbbb-0000-4000-8000-000000000004'::uuid, 'completed', 'ftjob-done', 'file-done', 'ft:gpt-4.1-mini:done', 19600,
     1.5000, null, '2001-01-01', '2001-01-02')
  $$,
  'each first run follows its model: ready -> unavailable, ids, tokens, cost and times copied, error only when failed or ready'
);

select results_eq(
  $$ select count(*)::integer from public.training_runs where model_id::text like 'bbbbbbbb-%' group by model_id $$,
  $$ values (1), (1), (1), (1) $$,
  'each inserted model has exactly one run'
);

select results_eq(
  $$ select status, error, chat_mode from private.fine_tuned_models where id::text like 'bbbbbbbb-%' order by id $$,
  $$ values ('ready'::text, 'fine-tuning unavailable'::text, 'persona'::text), ('failed', 'job failed', 'persona'),
            ('training', null, 'persona'), ('completed', null, 'fine-tuned') $$,
  'the first run''s mirror keeps each model''s status; the error shows only where the run kept one'
);

-- The model follows its run ---------------------------------------------------------------------

update private.fine_tuned_models set updated_at = '2001-01-01 00:00:00+00'
where id = (select id from mary);

select pg_temp.authenticate_as_service_role();

select lives_ok(
  $$
    update public.training_runs
    set next_check_at = now() + interval '5 minutes', attempts = attempts + 1,
        lease_expires_at = now() + interval '1 minute', progress = '{"percent": 10}'
    where model_id = (select id from mary)
  $$,
  'the service records a poll'
);

select pg_temp.clear_authentication();

select results_eq(
  $$ select status, updated_at from private.fine_tuned_models where id = (select id from mary) $$,
  $$ values ('pending'::text, '2001-01-01 00:00:00+00'::timestamptz) $$,
  'a poll-only update (next check, attempts, lease, progress) leaves the model and its updated_at alone'
);

select pg_temp.authenticate_as_service_role();

update public.training_runs
set status = 'training', provider_job_id = 'ftjob-35', provider_file_id = 'file-35', started_at = now()
where model_id = (select id from mary);

select pg_temp.clear_authentication();

select results_eq(
  $$
    select status, openai_job_id, training_file_id, training_started_at, chat_mode, updated_at
    from private.fine_tuned_models where id = (select id from mary)
  $$,
  $$ values ('training'::text, 'ftjob-35'::text, 'file-35'::text, now(), 'persona'::text, now()) $$,
  'a run that starts training shows on the model: status, job and file ids, start time; updated_at moves'
);

select pg_temp.authenticate_as_service_role();

update public.training_runs
set status = 'completed', fine_tuned_model = 'ft:gpt-4.1-mini:storyvoice:35', trained_tokens = 19573,
    estimated_cost_usd = 0.1234, completed_at = now(),
    summary = '{"examples": 24, "topics": ["a", "b", "c", "d", "e"], "epochs": 3, "baseModel": "gpt-4.1-mini-2025-04-14", "quick": false}'
where model_id = (select id from mary);

select pg_temp.clear_authentication();

select results_eq(
  $$
    select status, openai_model_id, training_tokens, estimated_cost_usd, training_completed_at, chat_mode
    from private.fine_tuned_models where id = (select id from mary)
  $$,
  $$ values ('completed'::text, 'ft:gpt-4.1-mini:storyvoice:35'::text, 19573, 0.1234::numeric, now(), 'fine-tuned'::text) $$,
  'a completed run shows its fine-tuned model, tokens and cost; the model now chats as the fine-tune'
);

select results_eq(
  $$ select training_data_summary from public.fine_tuned_models where id = (select id from mary) $$,
  $$ values ('24 examples on 5 topics, 3 epochs, base gpt-4.1-mini-2025-04-14, about 19,600 training tokens'::text) $$,
  'the run''s summary and tokens become one sentence on the model'
);

-- The run's statuses the model does not have are mapped.
select pg_temp.authenticate_as_service_role();
update public.training_runs set status = 'unavailable', fine_tuned_model = null
where model_id = 'bbbbbbbb-0000-4000-8000-000000000003';
update public.training_runs set status = 'cancelled', error = 'cancelled by the provider'
where model_id = 'bbbbbbbb-0000-4000-8000-000000000004';
select pg_temp.clear_authentication();

select results_eq(
  $$ select status, chat_mode from private.fine_tuned_models where id = 'bbbbbbbb-0000-4000-8000-000000000003' $$,
  $$ values ('ready'::text, 'persona'::text) $$,
  'an unavailable run shows as a ready model in persona mode'
);

select results_eq(
  $$ select status, error, chat_mode from private.fine_tuned_models where id = 'bbbbbbbb-0000-4000-8000-000000000004' $$,
  $$ values ('failed'::text, 'cancelled by the provider'::text, 'persona'::text) $$,
  'a cancelled run shows as a failed model with the run''s error'
);

-- Only the newest run is the model's: a retrain takes over, the older run no longer shows, but its
-- completed fine-tune keeps answering chat until a newer run completes.
select pg_temp.authenticate_as_service_role();
insert into public.training_runs (model_id, provider, created_at)
values ((select id from mary), 'together', now() + interval '1 second');
select pg_temp.clear_authentication();

select results_eq(
  $$ select status, provider, openai_model_id, chat_mode from private.fine_tuned_models where id = (select id from mary) $$,
  $$ values ('pending'::text, 'together'::text, 'ft:gpt-4.1-mini:storyvoice:35'::text, 'fine-tuned'::text) $$,
  'a new run becomes the model''s current run; chat stays on the completed fine-tune'
);

select pg_temp.authenticate_as_service_role();
update public.training_runs set status = 'failed', error = 'late failure of the old run'
where model_id = (select id from mary) and provider = 'openai';
select pg_temp.clear_authentication();

select results_eq(
  $$ select status, error from private.fine_tuned_models where id = (select id from mary) $$,
  $$ values ('pending'::text, null::text) $$,
  'a change to an older run does not show on the model'
);

-- The owner sees the mirror through the view, with the provider ids.
select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$ select status, openai_job_id from public.fine_tuned_models where id = 'bbbbbbbb-0000-4000-8000-000000000002' $$,
  $$ values ('failed'::text, 'ftjob-failed'::text) $$,
  'the owner reads the mirrored lifecycle through the view'
);

-- Deleting a model -------------------------------------------------------------------------------

select pg_temp.clear_authentication();
insert into public.training_examples (model_id, source, position, messages) values
  ((select id from mary), 'generated', 0,
   '[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]');
select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$ delete from public.fine_tuned_models where id = (select id from mary) returning name $$,
  $$ values ('Mary'::text) $$,
  'the owner deletes the model through the view'
);

select pg_temp.clear_authentication();

select is_empty(
  $$ select id from public.training_runs where model_id = (select id from mary) $$,
  'deleting the model deleted its runs'
);

select is_empty(
  $$ select id from public.training_examples where model_id = (select id from mary) $$,
  'deleting the model deleted its examples'
);

select results_eq(
  $$ select count(*)::integer from public.training_runs where model_id::text like 'bbbbbbbb-%' $$,
  $$ values (4) $$,
  'the other models keep their runs'
);

select * from finish();
rollback;
