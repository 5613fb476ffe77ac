-- Chat history is private to the user who wrote it, even from the model's owner; it is written
-- only by its author, only with models the author may see, and never rewritten by a client.
-- message_order belongs to the database: a trigger numbers each conversation 1, 2, 3...
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(26);

\ir helpers/identities.psql

-- Fixtures. Users: owner 1111..., other 2222.... Models (both the owner's): aaaa...01 private,
-- aaaa...02 public. Conversations: cccc...01 the owner's, cccc...02 the other user's, both with
-- the public model.
insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Owner private', 'author', 'Mary Shelley', 'chats-test-book', false, '11111111-1111-4111-8111-111111111111'),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'Owner public', 'character', 'Victor', 'chats-test-book', true, '11111111-1111-4111-8111-111111111111');

insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response) values
  ('aaaaaaaa-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'cccccccc-0000-4000-8000-000000000001', 'Owner asks', 'Victor answers'),
  ('aaaaaaaa-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'cccccccc-0000-4000-8000-000000000002', 'Other asks', 'Victor answers');

-- What each role holds ----------------------------------------------------------------------------

select table_privs_are(
  'public', 'fine_tuned_chats', 'anon', array[]::name[],
  'anon holds no privilege on fine_tuned_chats'
);

select table_privs_are(
  'public', 'fine_tuned_chats', 'authenticated', array['SELECT']::name[],
  'authenticated holds only SELECT on the whole table: no update, no delete'
);

select set_eq(
  $$
    select a.attname::text
    from pg_catalog.pg_attribute a
    where a.attrelid = 'public.fine_tuned_chats'::regclass
      and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'INSERT')
  $$,
  array['model_id', 'conversation_id', 'user_message', 'ai_response', 'model_used', 'imported'],
  'authenticated may insert an imported exchange, never its author, order, timestamp or usage'
);

-- The seed's name for the persona's side of an exchange.
select has_column('public', 'fine_tuned_chats', 'ai_response', 'the persona''s reply is ai_response');
select hasnt_column('public', 'fine_tuned_chats', 'assistant_response', 'assistant_response is gone');

-- select ------------------------------------------------------------------------------------------

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$ select user_message from public.fine_tuned_chats where model_id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values ('Owner asks'::text) $$,
  'the owner reads only their own chats with their public model'
);

select is_empty(
  $$ select id from public.fine_tuned_chats where conversation_id = 'cccccccc-0000-4000-8000-000000000002' $$,
  'the model''s owner cannot read another user''s conversation with it'
);

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select results_eq(
  $$ select user_message from public.fine_tuned_chats $$,
  $$ values ('Other asks'::text) $$,
  'the other user reads only their own chats'
);

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$ select id from public.fine_tuned_chats $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'anon cannot read chats'
);

-- insert and message order ------------------------------------------------------------------------
-- Answered exchanges are the service's to store (private.store_chat_exchange); a client may insert
-- only exchanges marked imported, which count nowhere as the model's words (70_data_api_holes).

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select throws_ok(
  $$
    insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response)
    values ('aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000009', 'forged', 'words')
  $$,
  '42501', 'new row violates row-level security policy for table "fine_tuned_chats"',
  'a user cannot store an answered exchange with another owner''s public model'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$
    insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, imported)
    values ('aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003', 'first', 'one', true)
    returning user_id, message_order
  $$,
  $$ values ('11111111-1111-4111-8111-111111111111'::uuid, 1) $$,
  'a new conversation starts at message_order 1, written by the caller'
);

select lives_ok(
  $$
    insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, imported)
    values ('aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003', 'second', 'two', true),
           ('aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003', 'third', 'three', true)
  $$,
  'two more exchanges in one statement'
);

select results_eq(
  $$
    select user_message, message_order from public.fine_tuned_chats
    where conversation_id = 'cccccccc-0000-4000-8000-000000000003'
    order by message_order
  $$,
  $$ values ('first'::text, 1), ('second', 2), ('third', 3) $$,
  'the trigger numbers the conversation 1, 2, 3'
);

select throws_ok(
  $$
    insert into public.fine_tuned_chats (model_id, conversation_id, message_order, user_message, ai_response, imported)
    values ('aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003', 99, 'forged', 'order', true)
  $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'a client cannot supply message_order'
);

select throws_ok(
  $$
    insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, imported)
    values ('aaaaaaaa-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222',
            'cccccccc-0000-4000-8000-000000000004', 'in your name', 'reply', true)
  $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'a client cannot name the author of a chat'
);

-- Defence in depth: were user_id ever granted, the insert policy alone must refuse another author.
-- The grant lives only inside this rolled-back transaction.
select pg_temp.clear_authentication();
grant insert (user_id) on public.fine_tuned_chats to authenticated;
select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select throws_ok(
  $$
    insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, imported)
    values ('aaaaaaaa-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222',
            'cccccccc-0000-4000-8000-000000000004', 'in your name', 'reply', true)
  $$,
  '42501', 'new row violates row-level security policy for table "fine_tuned_chats"',
  'the insert policy refuses a chat written in another user''s name'
);

select pg_temp.clear_authentication();
revoke insert (user_id) on public.fine_tuned_chats from authenticated;
select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select throws_ok(
  $$
    insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, imported)
    values ('aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000005', 'let me in', 'no', true)
  $$,
  '42501', 'new row violates row-level security policy for table "fine_tuned_chats"',
  'the other user cannot chat with the owner''s private model'
);

select throws_ok(
  $$
    insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, imported)
    values ('deadbeef-0000-4000-8000-000000000000', 'cccccccc-0000-4000-8000-000000000005', 'anyone?', 'no', true)
  $$,
  '42501', 'new row violates row-level security policy for table "fine_tuned_chats"',
  'a chat with a model that does not exist is refused by the policy'
);

select results_eq(
  $$
    insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, imported)
    values ('aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000005', 'hello', 'hi', true)
    returning user_id, message_order
  $$,
  $$ values ('22222222-2222-4222-8222-222222222222'::uuid, 1) $$,
  'the other user chats with the owner''s public model'
);

select throws_ok(
  $$
    insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, imported)
    values ('aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000001', 'joining', 'no', true)
  $$,
  '42501', 'conversation cccccccc-0000-4000-8000-000000000001 belongs to another user or model',
  'the other user cannot write into the owner''s conversation'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select throws_ok(
  $$
    insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, imported)
    values ('aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000001', 'switching', 'no', true)
  $$,
  '42501', 'conversation cccccccc-0000-4000-8000-000000000001 belongs to another user or model',
  'a conversation cannot move to another model, even the same user''s'
);

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$
    insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, imported)
    values ('aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000006', 'hello', 'hi', true)
  $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'anon cannot chat'
);

-- update and delete -------------------------------------------------------------------------------

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select throws_ok(
  $$ update public.fine_tuned_chats set ai_response = 'rewritten' where conversation_id = 'cccccccc-0000-4000-8000-000000000001' $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'the author cannot rewrite their chat'
);

select throws_ok(
  $$ delete from public.fine_tuned_chats where conversation_id = 'cccccccc-0000-4000-8000-000000000001' $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'the author cannot delete their chat'
);

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$ update public.fine_tuned_chats set ai_response = 'rewritten' $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'anon cannot update chats'
);

select throws_ok(
  $$ delete from public.fine_tuned_chats $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'anon cannot delete chats'
);

select pg_temp.clear_authentication();

select * from finish();
rollback;
