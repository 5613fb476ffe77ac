-- The model catalogue and the admin view of personas near shutdown are the service's: no client
-- role reads or writes either, the service role does, and the view lists exactly the fine-tunes
-- whose base shuts down within 30 days (or has). Dates are relative to today, so the file never
-- depends on the day it runs.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(14);

\ir helpers/identities.psql

insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

insert into private.model_catalogue (provider, model_id, purposes, shutdown_date, shutdown_source) values
  ('openai', 'test-base-soon', '{fine_tune_base}', current_date + 10, 'provider'),
  ('openai', 'test-base-later', '{fine_tune_base}', current_date + 60, 'provider'),
  ('openai', 'test-base-gone', '{fine_tune_base}', current_date - 1, 'provider');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, created_by, status, base_model,
  openai_job_id, openai_model_id, is_public) values
  ('cccccccc-0000-4000-8000-000000000001', 'Soon', 'author', 'Soon', 'catalogue-test-book',
   '11111111-1111-4111-8111-111111111111', 'completed', 'test-base-soon', 'ftjob-soon', 'ft:test-base-soon:o:s:1', true),
  ('cccccccc-0000-4000-8000-000000000002', 'Later', 'author', 'Later', 'catalogue-test-book',
   '11111111-1111-4111-8111-111111111111', 'completed', 'test-base-later', 'ftjob-later', 'ft:test-base-later:o:s:2', true),
  ('cccccccc-0000-4000-8000-000000000003', 'Gone', 'author', 'Gone', 'catalogue-test-book',
   '11111111-1111-4111-8111-111111111111', 'completed', 'test-base-gone', 'ftjob-gone', 'ft:test-base-gone:o:s:3', true),
  ('cccccccc-0000-4000-8000-000000000004', 'Persona', 'author', 'Persona', 'catalogue-test-book',
   '11111111-1111-4111-8111-111111111111', 'ready', 'test-base-soon', null, null, true);

-- The service ------------------------------------------------------------------------------------

select pg_temp.authenticate_as_service_role();

select results_eq(
  $$ select name, days_left from private.personas_near_shutdown where book_id = 'catalogue-test-book' order by days_left $$,
  $$ values ('Gone'::text, -1), ('Soon'::text, 10) $$,
  'the admin view lists the fine-tunes whose base shuts down within 30 days or has, not later ones or persona-mode models'
);

select results_eq(
  $$ select base_model, fine_tuned_model from private.personas_near_shutdown where name = 'Soon' $$,
  $$ values ('test-base-soon'::text, 'ft:test-base-soon:o:s:1'::text) $$,
  'the view names the fine-tune and the base it dies with'
);

select ok(
  (select count(*) > 0 from private.model_catalogue where provider = 'openai' and 'chat' = any (purposes)),
  'the service reads the catalogue, seeded with chat models'
);

select lives_ok(
  $$ update private.model_catalogue set shutdown_date = current_date + 5 where model_id = 'test-base-later' $$,
  'the service writes the catalogue (the sync refreshes it)'
);

select results_eq(
  $$ select model_id from private.model_catalogue
     where provider = 'openai' and 'chat' = any (purposes) and shutdown_date is null $$,
  $$ values ('gpt-6-luna'::text) $$,
  'the seeded OpenAI chat model without a shutdown date is gpt-6-luna'
);

select throws_ok(
  $$ insert into private.model_catalogue (provider, model_id, purposes) values ('openai', 'x', '{dance}') $$,
  '23514', null,
  'a purpose outside chat, teacher and fine_tune_base is refused'
);

-- The owner -------------------------------------------------------------------------------------

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select throws_ok(
  $$ select count(*) from private.model_catalogue $$,
  '42501', 'permission denied for table model_catalogue',
  'an owner cannot read the catalogue'
);

select throws_ok(
  $$ select count(*) from private.personas_near_shutdown $$,
  '42501', 'permission denied for view personas_near_shutdown',
  'an owner cannot read the admin view, even of their own personas'
);

select throws_ok(
  $$ update private.model_catalogue set shutdown_date = null $$,
  '42501', 'permission denied for table model_catalogue',
  'an owner cannot move a shutdown date'
);

-- Another user ----------------------------------------------------------------------------------

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select throws_ok(
  $$ select count(*) from private.model_catalogue $$,
  '42501', 'permission denied for table model_catalogue',
  'another user cannot read the catalogue'
);

select throws_ok(
  $$ insert into private.model_catalogue (provider, model_id) values ('openai', 'mine') $$,
  '42501', 'permission denied for table model_catalogue',
  'another user cannot add a model'
);

-- Anonymous -------------------------------------------------------------------------------------

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$ select count(*) from private.model_catalogue $$,
  '42501', 'permission denied for schema private',
  'anon cannot reach the catalogue'
);

select throws_ok(
  $$ select count(*) from private.personas_near_shutdown $$,
  '42501', 'permission denied for schema private',
  'anon cannot reach the admin view'
);

select throws_ok(
  $$ delete from private.model_catalogue $$,
  '42501', 'permission denied for schema private',
  'anon cannot delete the catalogue'
);

select * from finish();
rollback;
