-- Owners shape their personas' training examples through RLS and column privileges: they add
-- (`user` and `chat` examples only), edit and delete the examples of their own models; another
-- user and anon can do none of it, not even on a public model.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(19);

\ir helpers/identities.psql

insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000013', 'Owner public', 'author', 'Mary Shelley', 'examples-test-book', true, '11111111-1111-4111-8111-111111111111'),
  ('bbbbbbbb-0000-4000-8000-000000000013', 'Other private', 'author', 'Mary Shelley', 'examples-test-book', false, '22222222-2222-4222-8222-222222222222');

insert into public.training_examples (id, model_id, source, topic, position, messages) values
  ('eeeeeeee-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000013', 'generated', 'Childhood', 0,
   '[{"role": "user", "content": "Where did you grow up?"}, {"role": "assistant", "content": "London."}]');

-- What each role holds ----------------------------------------------------------------------------

select table_privs_are(
  'public', 'training_examples', 'authenticated', array['SELECT', 'DELETE']::name[],
  'authenticated holds SELECT and DELETE on training_examples, the rest per column'
);
select set_eq(
  $$
    select a.attname::text from pg_catalog.pg_attribute a
    where a.attrelid = 'public.training_examples'::regclass and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'UPDATE')
  $$,
  array['topic', 'position', 'messages'],
  'authenticated may update only the topic, the place and the conversation'
);
select table_privs_are('public', 'training_examples', 'anon', array[]::name[], 'anon holds no privilege on training_examples');

-- The owner -----------------------------------------------------------------------------------------

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$
    insert into public.training_examples (model_id, source, topic, position, messages)
    values ('aaaaaaaa-0000-4000-8000-000000000013', 'user', 'Science', 1,
            '[{"role": "user", "content": "What drives you?"}, {"role": "assistant", "content": "Knowledge."}]')
    returning source, topic
  $$,
  $$ values ('user'::text, 'Science'::text) $$,
  'the owner adds a user example'
);

select results_eq(
  $$
    insert into public.training_examples (model_id, source, position, messages)
    values ('aaaaaaaa-0000-4000-8000-000000000013', 'chat', 2,
            '[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]')
    returning source
  $$,
  $$ values ('chat'::text) $$,
  'the owner adds an example taken from a chat'
);

select throws_ok(
  $$
    insert into public.training_examples (model_id, source, position, messages)
    values ('aaaaaaaa-0000-4000-8000-000000000013', 'generated', 3,
            '[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]')
  $$,
  '42501', 'new row violates row-level security policy for table "training_examples"',
  'the owner cannot pass an example off as generated'
);

select throws_ok(
  $$
    insert into public.training_examples (id, model_id, source, position, messages)
    values (gen_random_uuid(), 'aaaaaaaa-0000-4000-8000-000000000013', 'user', 3,
            '[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]')
  $$,
  '42501', 'permission denied for table training_examples',
  'the owner cannot choose the id'
);

select throws_ok(
  $$
    insert into public.training_examples (model_id, source, position, messages)
    values ('bbbbbbbb-0000-4000-8000-000000000013', 'user', 1,
            '[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]')
  $$,
  '42501', 'new row violates row-level security policy for table "training_examples"',
  'the owner cannot add an example to another user''s model'
);

select results_eq(
  $$
    update public.training_examples set topic = 'Home',
      messages = '[{"role": "user", "content": "Where is home?"}, {"role": "assistant", "content": "Geneva."}]'
    where id = 'eeeeeeee-0000-4000-8000-000000000001'
    returning topic, source, messages -> 1 ->> 'content'
  $$,
  $$ values ('Home'::text, 'generated'::text, 'Geneva.'::text) $$,
  'the owner edits a generated example; its source stays'
);

select throws_ok(
  $$ update public.training_examples set source = 'user' where id = 'eeeeeeee-0000-4000-8000-000000000001' $$,
  '42501', 'permission denied for table training_examples',
  'the owner cannot change an example''s source'
);

select throws_ok(
  $$ update public.training_examples set model_id = 'bbbbbbbb-0000-4000-8000-000000000013' where id = 'eeeeeeee-0000-4000-8000-000000000001' $$,
  '42501', 'permission denied for table training_examples',
  'the owner cannot move an example to another model'
);

select results_eq(
  $$ delete from public.training_examples where source = 'chat' returning position $$,
  $$ values (2) $$,
  'the owner deletes an example'
);

-- Another user ----------------------------------------------------------------------------------------

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select throws_ok(
  $$
    insert into public.training_examples (model_id, source, position, messages)
    values ('aaaaaaaa-0000-4000-8000-000000000013', 'user', 5,
            '[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]')
  $$,
  '42501', 'new row violates row-level security policy for table "training_examples"',
  'the other user cannot add an example to the owner''s public model'
);

select is_empty(
  $$ update public.training_examples set topic = 'Hijacked' where model_id = 'aaaaaaaa-0000-4000-8000-000000000013' returning id $$,
  'the other user rewrites none of the owner''s examples'
);

select is_empty(
  $$ delete from public.training_examples where model_id = 'aaaaaaaa-0000-4000-8000-000000000013' returning id $$,
  'the other user deletes none of the owner''s examples'
);

-- Anon ------------------------------------------------------------------------------------------------

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$
    insert into public.training_examples (model_id, source, position, messages)
    values ('aaaaaaaa-0000-4000-8000-000000000013', 'user', 6,
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

-- What is left -----------------------------------------------------------------------------------------

select pg_temp.clear_authentication();

select results_eq(
  $$ select position, source, topic from public.training_examples
     where model_id = 'aaaaaaaa-0000-4000-8000-000000000013' order by position $$,
  $$ values (0, 'generated'::text, 'Home'::text), (1, 'user'::text, 'Science'::text) $$,
  'the owner''s examples are as the owner left them'
);

select * from finish();
rollback;
