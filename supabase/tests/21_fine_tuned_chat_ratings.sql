-- Ratings: the user who chatted rates each reply up, down or not at all; nothing else of an
-- exchange becomes writable, and nobody else rates it. A `chat` example may be linked only to an
-- exchange its author can read, with the same model, once per model.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(21);

\ir helpers/identities.psql

-- Users: owner 1111..., other 2222.... Models (the owner's): aaaa...21 public, aaaa...22 private.
-- Exchanges with the public model: dddd...01 the owner's, dddd...02 the other user's.
insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000021', 'Owner public', 'character', 'Victor', 'ratings-test-book', true, '11111111-1111-4111-8111-111111111111'),
  ('aaaaaaaa-0000-4000-8000-000000000022', 'Owner private', 'author', 'Mary Shelley', 'ratings-test-book', false, '11111111-1111-4111-8111-111111111111');

insert into public.fine_tuned_chats (id, model_id, user_id, conversation_id, user_message, ai_response) values
  ('dddddddd-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000021', '11111111-1111-4111-8111-111111111111', 'cccccccc-0000-4000-8000-000000000021', 'Owner asks', 'Victor answers'),
  ('dddddddd-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000021', '22222222-2222-4222-8222-222222222222', 'cccccccc-0000-4000-8000-000000000022', 'Other asks', 'Victor answers');

-- What each role holds ----------------------------------------------------------------------------

select set_eq(
  $$
    select a.attname::text from pg_catalog.pg_attribute a
    where a.attrelid = 'public.fine_tuned_chats'::regclass and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'UPDATE')
  $$,
  array['rating'],
  'authenticated may update only the rating of an exchange'
);
select policies_are('public', 'fine_tuned_chats',
  array['Users can read their own chats', 'Users can import chats to models they can see', 'Users can rate their own exchanges'],
  'chats have a read, an import and a rating policy, nothing more');
select set_eq(
  $$
    select a.attname::text from pg_catalog.pg_attribute a
    where a.attrelid = 'public.training_examples'::regclass and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'INSERT')
  $$,
  array['model_id', 'source', 'topic', 'position', 'messages', 'chat_id'],
  'an owner may link a new example to its exchange'
);

-- The user who chatted ------------------------------------------------------------------------------

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select results_eq(
  $$ update public.fine_tuned_chats set rating = 'up' where id = 'dddddddd-0000-4000-8000-000000000002' returning rating $$,
  $$ values ('up'::text) $$,
  'the user who chatted rates the reply up'
);
select results_eq(
  $$ update public.fine_tuned_chats set rating = null where id = 'dddddddd-0000-4000-8000-000000000002' returning rating $$,
  $$ values (null::text) $$,
  'and takes the rating back'
);
select throws_ok(
  $$ update public.fine_tuned_chats set rating = 'meh' where id = 'dddddddd-0000-4000-8000-000000000002' $$,
  '23514', null,
  'a rating is up, down or null'
);
select throws_ok(
  $$ update public.fine_tuned_chats set ai_response = 'rewritten', rating = 'up' where id = 'dddddddd-0000-4000-8000-000000000002' $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'rating does not open the reply to rewriting'
);
select throws_ok(
  $$ update public.fine_tuned_chats set user_id = '11111111-1111-4111-8111-111111111111' where id = 'dddddddd-0000-4000-8000-000000000002' $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'nor the exchange to another author'
);
select is_empty(
  $$ update public.fine_tuned_chats set rating = 'down' where id = 'dddddddd-0000-4000-8000-000000000001' returning id $$,
  'another user''s exchange is not rated (not even seen)'
);

-- The model's owner -----------------------------------------------------------------------------------

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select is_empty(
  $$ update public.fine_tuned_chats set rating = 'down' where id = 'dddddddd-0000-4000-8000-000000000002' returning id $$,
  'the model''s owner cannot rate a reader''s exchange with their model'
);
select results_eq(
  $$ update public.fine_tuned_chats set rating = 'down' where id = 'dddddddd-0000-4000-8000-000000000001' returning rating $$,
  $$ values ('down'::text) $$,
  'the owner rates their own exchange'
);
select throws_ok(
  $$ insert into public.training_examples (model_id, source, position, messages, chat_id)
     values ('aaaaaaaa-0000-4000-8000-000000000021', 'user', 9,
             '[{"role": "user", "content": "Owner asks"}, {"role": "assistant", "content": "Victor answers"}]',
             'dddddddd-0000-4000-8000-000000000001') $$,
  '23514', null,
  'only a chat example names an exchange'
);
select lives_ok(
  $$ insert into public.training_examples (model_id, source, position, messages, chat_id)
     values ('aaaaaaaa-0000-4000-8000-000000000021', 'chat', 0,
             '[{"role": "user", "content": "Owner asks"}, {"role": "assistant", "content": "Victor answers"}]',
             'dddddddd-0000-4000-8000-000000000001') $$,
  'the owner turns their own exchange into a chat example'
);
select throws_ok(
  $$ insert into public.training_examples (model_id, source, position, messages, chat_id)
     values ('aaaaaaaa-0000-4000-8000-000000000021', 'chat', 1,
             '[{"role": "user", "content": "Owner asks"}, {"role": "assistant", "content": "Victor answers"}]',
             'dddddddd-0000-4000-8000-000000000001') $$,
  '23505', null,
  'an exchange becomes one example per model'
);
select throws_ok(
  $$ insert into public.training_examples (model_id, source, position, messages, chat_id)
     values ('aaaaaaaa-0000-4000-8000-000000000021', 'chat', 2,
             '[{"role": "user", "content": "Other asks"}, {"role": "assistant", "content": "Victor answers"}]',
             'dddddddd-0000-4000-8000-000000000002') $$,
  '42501', 'new row violates row-level security policy for table "training_examples"',
  'the owner cannot take a reader''s exchange'
);
select throws_ok(
  $$ insert into public.training_examples (model_id, source, position, messages, chat_id)
     values ('aaaaaaaa-0000-4000-8000-000000000022', 'chat', 0,
             '[{"role": "user", "content": "Owner asks"}, {"role": "assistant", "content": "Victor answers"}]',
             'dddddddd-0000-4000-8000-000000000001') $$,
  '42501', 'new row violates row-level security policy for table "training_examples"',
  'nor link an exchange to another model'
);
select throws_ok(
  $$ update public.training_examples set chat_id = null where model_id = 'aaaaaaaa-0000-4000-8000-000000000021' $$,
  '42501', 'permission denied for table training_examples',
  'an example''s exchange is fixed once written'
);

-- Anonymous -------------------------------------------------------------------------------------------

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$ update public.fine_tuned_chats set rating = 'up' $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'anon cannot rate'
);
select throws_ok(
  $$ insert into public.training_examples (model_id, source, position, messages, chat_id)
     values ('aaaaaaaa-0000-4000-8000-000000000021', 'chat', 5, '[]', 'dddddddd-0000-4000-8000-000000000001') $$,
  '42501', 'permission denied for table training_examples',
  'anon cannot add chat examples'
);

-- The service -----------------------------------------------------------------------------------------

select pg_temp.clear_authentication();

select is(
  (select rating from public.fine_tuned_chats where id = 'dddddddd-0000-4000-8000-000000000002'),
  null,
  'the other user''s exchange kept the rating they gave it'
);
select is(
  (select rating from public.fine_tuned_chats where id = 'dddddddd-0000-4000-8000-000000000001'),
  'down',
  'and the owner''s theirs'
);

select * from finish();
rollback;
