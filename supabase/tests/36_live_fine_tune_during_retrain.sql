-- A retrain does not take chat away from a working fine-tune: the model shows its newest run, but
-- openai_model_id (and so chat_mode) keeps the newest completed fine-tune until a newer run
-- completes; a retrain that fails leaves the model completed on its old fine-tune with the reason.
-- A model that never completed a run is unchanged by the rule.
--
-- Runs are inserted with explicit, increasing created_at: one transaction has one now().
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(9);

\ir helpers/identities.psql

insert into auth.users (id, email) values ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, created_by, created_at) values
  ('cccccccc-0000-4000-8000-000000000036', 'Retrained', 'author', 'Retrained', 'retrain-test-book',
   '11111111-1111-4111-8111-111111111111', now() - interval '1 hour'),
  ('cccccccc-0000-4000-8000-000000000037', 'Never trained', 'author', 'Never trained', 'retrain-test-book',
   '11111111-1111-4111-8111-111111111111', now() - interval '1 hour');
update public.training_runs set created_at = now() - interval '1 hour' where model_id::text like 'cccccccc-%';

select pg_temp.authenticate_as_service_role();

update public.training_runs
set status = 'completed', provider_job_id = 'ftjob-first', fine_tuned_model = 'ft:first', completed_at = now()
where model_id = 'cccccccc-0000-4000-8000-000000000036';

insert into public.training_runs (model_id, provider, created_at)
values ('cccccccc-0000-4000-8000-000000000036', 'openai', now() - interval '30 minutes');

select results_eq(
  $$ select status, openai_job_id, openai_model_id, chat_mode from public.fine_tuned_models
     where id = 'cccccccc-0000-4000-8000-000000000036' $$,
  $$ values ('pending'::text, null::text, 'ft:first'::text, 'fine-tuned'::text) $$,
  'a retrain shows as pending while chat stays on the completed fine-tune'
);

update public.training_runs set status = 'training', provider_job_id = 'ftjob-second'
where model_id = 'cccccccc-0000-4000-8000-000000000036' and provider_job_id is null;

select results_eq(
  $$ select status, openai_job_id, openai_model_id, chat_mode from public.fine_tuned_models
     where id = 'cccccccc-0000-4000-8000-000000000036' $$,
  $$ values ('training'::text, 'ftjob-second'::text, 'ft:first'::text, 'fine-tuned'::text) $$,
  'while the retrain trains, its job shows and the old fine-tune answers'
);

update public.training_runs set status = 'failed', error = 'the retrain failed'
where provider_job_id = 'ftjob-second';

select results_eq(
  $$ select status, error, openai_model_id, chat_mode from public.fine_tuned_models
     where id = 'cccccccc-0000-4000-8000-000000000036' $$,
  $$ values ('completed'::text, 'the retrain failed'::text, 'ft:first'::text, 'fine-tuned'::text) $$,
  'a failed retrain leaves the model completed on its old fine-tune, with the reason'
);

-- The provider retires the old fine-tune; the next retrain's success replaces it.
select pg_temp.clear_authentication();
update private.fine_tuned_models set fine_tuned_model_retired_at = now(), error = 'retired'
where id = 'cccccccc-0000-4000-8000-000000000036';
select pg_temp.authenticate_as_service_role();

select results_eq(
  $$ select chat_mode from public.fine_tuned_models where id = 'cccccccc-0000-4000-8000-000000000036' $$,
  $$ values ('persona'::text) $$,
  'a retired fine-tune answers in persona mode'
);

insert into public.training_runs (model_id, provider, created_at, status, provider_job_id)
values ('cccccccc-0000-4000-8000-000000000036', 'openai', now() - interval '10 minutes', 'training', 'ftjob-third');

select results_eq(
  $$ select status, error, chat_mode from public.fine_tuned_models where id = 'cccccccc-0000-4000-8000-000000000036' $$,
  $$ values ('training'::text, 'retired'::text, 'persona'::text) $$,
  'a retrain of a retired fine-tune trains in persona mode, the retirement still said'
);

update public.training_runs set status = 'completed', fine_tuned_model = 'ft:third', completed_at = now()
where provider_job_id = 'ftjob-third';

select results_eq(
  $$ select status, error, openai_model_id, fine_tuned_model_retired_at, chat_mode from public.fine_tuned_models
     where id = 'cccccccc-0000-4000-8000-000000000036' $$,
  $$ values ('completed'::text, null::text, 'ft:third'::text, null::timestamptz, 'fine-tuned'::text) $$,
  'a completed retrain switches chat to the new fine-tune'
);

-- A late change to an older run still does not show.
update public.training_runs set status = 'failed', error = 'late' where provider_job_id = 'ftjob-first';

select results_eq(
  $$ select status, openai_model_id from public.fine_tuned_models where id = 'cccccccc-0000-4000-8000-000000000036' $$,
  $$ values ('completed'::text, 'ft:third'::text) $$,
  'a change to an older run does not show on the model'
);

-- Without a completed run, failures fail and unavailability is persona mode, as before.
update public.training_runs set status = 'failed', error = 'no luck' where model_id = 'cccccccc-0000-4000-8000-000000000037';

select results_eq(
  $$ select status, openai_model_id, chat_mode from public.fine_tuned_models where id = 'cccccccc-0000-4000-8000-000000000037' $$,
  $$ values ('failed'::text, null::text, 'persona'::text) $$,
  'a model that never completed a run fails with its run'
);

-- The owner reads the same through the view.
select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$ select openai_model_id, chat_mode from public.fine_tuned_models where id = 'cccccccc-0000-4000-8000-000000000036' $$,
  $$ values ('ft:third'::text, 'fine-tuned'::text) $$,
  'the owner reads the live fine-tune through the view'
);

select * from finish();
rollback;
