-- Who may read and write a model's training runs and training examples: the model's owner reads
-- them, nobody else does (not even for a public model: they hold the owner's provider ids, costs
-- and training conversations), and only the service writes runs. Owners' writes of examples are
-- tested in 13_training_examples_owner_writes.sql.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(40);

\ir helpers/identities.psql

-- Fixtures. Users: owner 1111..., other 2222.... Models: aaaa...01 the owner's private one,
-- aaaa...02 the owner's public one, bbbb...01 the other user's private one. Each has its first
-- run from the insert trigger and one training example.
insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Owner private', 'author', 'Mary Shelley', 'runs-test-book', false, '11111111-1111-4111-8111-111111111111'),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'Owner public', 'character', 'Victor', 'runs-test-book', true, '11111111-1111-4111-8111-111111111111'),
  ('bbbbbbbb-0000-4000-8000-000000000001', 'Other private', 'author', 'Mary Shelley', 'runs-test-book', false, '22222222-2222-4222-8222-222222222222');

insert into public.training_examples (model_id, source, topic, position, messages) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'generated', 'Childhood', 0,
   '[{"role": "user", "content": "Where did you grow up?"}, {"role": "assistant", "content": "London."}]'),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'user', 'Science', 0,
   '[{"role": "user", "content": "What drives you?"}, {"role": "assistant", "content": "Knowledge."}]'),
  ('bbbbbbbb-0000-4000-8000-000000000001', 'chat', 'Travels', 0,
   '[{"role": "user", "content": "Where have you been?"}, {"role": "assistant", "content": "The Alps."}]');

-- What each role holds ----------------------------------------------------------------------------

select table_privs_are('public', 'training_runs', 'anon', array[]::name[], 'anon holds no privilege on training_runs');
select table_privs_are(
  'public', 'training_runs', 'authenticated', array['SELECT']::name[],
  'authenticated holds only SELECT on training_runs'
);
select is_empty(
  $$
    select a.attname from pg_catalog.pg_attribute a
    where a.attrelid = 'public.training_runs'::regclass and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'INSERT, UPDATE, REFERENCES')
  $$,
  'authenticated holds no column privilege to write training_runs'
);
select table_privs_are(
  'public', 'training_runs', 'service_role',
  array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']::name[],
  'the service role holds every privilege on training_runs'
);

select table_privs_are('public', 'training_examples', 'anon', array[]::name[], 'anon holds no privilege on training_examples');
select table_privs_are(
  'public', 'training_examples', 'service_role',
  array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']::name[],
  'the service role holds every privilege on training_examples'
);

-- The owner -----------------------------------------------------------------------------------------

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$ select model_id, status from (select * from public.training_runs) as r order by model_id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000001'::uuid, 'pending'::text),
            ('aaaaaaaa-0000-4000-8000-000000000002'::uuid, 'pending'::text) $$,
  'the owner reads the runs of their own models, private and public (select *)'
);

select results_eq(
  $$ select model_id, topic from (select * from public.training_examples) as e order by model_id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000001'::uuid, 'Childhood'::text),
            ('aaaaaaaa-0000-4000-8000-000000000002'::uuid, 'Science'::text) $$,
  'the owner reads the examples of their own models (select *)'
);

select is_empty(
  $$ select id from public.training_runs where model_id = 'bbbbbbbb-0000-4000-8000-000000000001' $$,
  'the owner cannot read the other user''s runs'
);

select is_empty(
  $$ select id from public.training_examples where model_id = 'bbbbbbbb-0000-4000-8000-000000000001' $$,
  'the owner cannot read the other user''s examples'
);

select throws_ok(
  $$ insert into public.training_runs (model_id, provider) values ('aaaaaaaa-0000-4000-8000-000000000001', 'openai') $$,
  '42501', 'permission denied for table training_runs',
  'the owner cannot start a run'
);

select throws_ok(
  $$ update public.training_runs set status = 'completed', fine_tuned_model = 'ft:spoofed' where model_id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  '42501', 'permission denied for table training_runs',
  'the owner cannot complete their own run'
);

select throws_ok(
  $$ delete from public.training_runs where model_id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  '42501', 'permission denied for table training_runs',
  'the owner cannot delete their own run'
);

-- Another user ----------------------------------------------------------------------------------

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select results_eq(
  $$ select model_id from public.training_runs $$,
  $$ values ('bbbbbbbb-0000-4000-8000-000000000001'::uuid) $$,
  'the other user reads only the runs of their own model'
);

select is_empty(
  $$ select * from public.training_runs where model_id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  'the other user cannot read the runs of the owner''s public model'
);

select is_empty(
  $$ select * from public.training_examples where model_id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  'the other user cannot read the examples of the owner''s public model'
);

select results_eq(
  $$ select topic from public.training_examples $$,
  $$ values ('Travels'::text) $$,
  'the other user reads only the examples of their own model'
);

select throws_ok(
  $$ insert into public.training_runs (model_id, provider) values ('aaaaaaaa-0000-4000-8000-000000000002', 'openai') $$,
  '42501', 'permission denied for table training_runs',
  'the other user cannot start a run on the owner''s public model'
);

select throws_ok(
  $$ update public.training_runs set status = 'failed' where model_id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  '42501', 'permission denied for table training_runs',
  'the other user cannot change the owner''s run'
);

select throws_ok(
  $$ delete from public.training_runs where model_id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  '42501', 'permission denied for table training_runs',
  'the other user cannot delete the owner''s run'
);

-- Anonymous -------------------------------------------------------------------------------------

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$ select * from public.training_runs $$,
  '42501', 'permission denied for table training_runs',
  'anon cannot read runs'
);

select throws_ok(
  $$ select * from public.training_examples $$,
  '42501', 'permission denied for table training_examples',
  'anon cannot read examples'
);

select throws_ok(
  $$ insert into public.training_runs (model_id, provider) values ('aaaaaaaa-0000-4000-8000-000000000002', 'openai') $$,
  '42501', 'permission denied for table training_runs',
  'anon cannot start a run'
);

select throws_ok(
  $$ update public.training_runs set status = 'failed' $$,
  '42501', 'permission denied for table training_runs',
  'anon cannot change runs'
);

select throws_ok(
  $$ delete from public.training_runs $$,
  '42501', 'permission denied for table training_runs',
  'anon cannot delete runs'
);

select throws_ok(
  $$
    insert into public.training_examples (model_id, source, position, messages)
    values ('aaaaaaaa-0000-4000-8000-000000000002', 'chat', 1,
            '[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]')
  $$,
  '42501', 'permission denied for table training_examples',
  'anon cannot add examples'
);

select throws_ok(
  $$ update public.training_examples set topic = 'Hijacked' $$,
  '42501', 'permission denied for table training_examples',
  'anon cannot change examples'
);

select throws_ok(
  $$ delete from public.training_examples $$,
  '42501', 'permission denied for table training_examples',
  'anon cannot delete examples'
);

select pg_temp.clear_authentication();

select results_eq(
  $$ select count(*)::integer, count(*) filter (where status = 'pending')::integer from public.training_runs
     where model_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', 'bbbbbbbb-0000-4000-8000-000000000001') $$,
  $$ values (3, 3) $$,
  'the refused writes left every run as it was'
);

select results_eq(
  $$ select count(*)::integer from public.training_examples where topic in ('Childhood', 'Science', 'Travels') $$,
  $$ values (3) $$,
  'the refused writes left every example as it was'
);

-- The service ---------------------------------------------------------------------------------------

select pg_temp.authenticate_as_service_role();

select results_eq(
  $$ select count(*)::integer from public.training_runs
     where model_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', 'bbbbbbbb-0000-4000-8000-000000000001') $$,
  $$ values (3) $$,
  'the service reads every model''s runs'
);

-- One run of a model in flight at a time: the first one has finished before a retrain starts.
update public.training_runs set status = 'completed' where model_id = 'aaaaaaaa-0000-4000-8000-000000000001';

select throws_ok(
  $$
    insert into public.training_runs (model_id, provider, base_model)
    select model_id, 'together', 'llama-3' from public.training_runs
    where model_id = 'aaaaaaaa-0000-4000-8000-000000000002'
  $$,
  '23505', null,
  'a second run in flight for one model is refused'
);

select results_eq(
  $$
    insert into public.training_runs (model_id, provider, base_model, created_at)
    values ('aaaaaaaa-0000-4000-8000-000000000001', 'together', 'llama-3', now() + interval '1 second')
    returning status, attempts
  $$,
  $$ values ('pending'::text, 0) $$,
  'the service starts a run (a retrain elsewhere), pending with no attempts'
);

select results_eq(
  $$
    update public.training_runs set status = 'training', provider_job_id = 'ftjob-service'
    where model_id = 'aaaaaaaa-0000-4000-8000-000000000001' and provider = 'together'
    returning status, provider_job_id
  $$,
  $$ values ('training'::text, 'ftjob-service'::text) $$,
  'the service advances a run'
);

select results_eq(
  $$ delete from public.training_runs where model_id = 'bbbbbbbb-0000-4000-8000-000000000001' returning provider $$,
  $$ values ('openai'::text) $$,
  'the service deletes a run'
);

select results_eq(
  $$
    insert into public.training_examples (model_id, source, topic, position, messages)
    values ('aaaaaaaa-0000-4000-8000-000000000001', 'generated', 'Exile', 1,
            '[{"role": "user", "content": "Why leave?"}, {"role": "assistant", "content": "Grief."}]')
    returning position
  $$,
  $$ values (1) $$,
  'the service stores a training example'
);

select results_eq(
  $$ update public.training_examples set topic = 'Home' where topic = 'Childhood' returning topic $$,
  $$ values ('Home'::text) $$,
  'the service edits a training example'
);

select results_eq(
  $$ delete from public.training_examples where topic = 'Travels' returning source $$,
  $$ values ('chat'::text) $$,
  'the service deletes a training example'
);

select pg_temp.clear_authentication();

-- A second example at the same position would reorder the training file.
select throws_ok(
  $$
    insert into public.training_examples (model_id, source, position, messages)
    values ('aaaaaaaa-0000-4000-8000-000000000001', 'user', 0,
            '[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]')
  $$,
  '23505', null,
  'a model''s examples have distinct positions'
);

select throws_ok(
  $$
    insert into public.training_examples (model_id, source, position, messages)
    values ('aaaaaaaa-0000-4000-8000-000000000001', 'user', 5, '[{"role": "user", "content": "q"}]')
  $$,
  '23514', null,
  'an example is a conversation of at least two messages'
);

select * from finish();
rollback;
