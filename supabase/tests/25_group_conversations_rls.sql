-- Group conversations are private to the user who chatted, even from the personas' owners; they are
-- written only by that user, only with personas the user may see, and never rewritten by a client
-- (who may only rate the replies).
-- message_order belongs to the database, and each persona's replies count in its chat_count.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(28);

\ir helpers/identities.psql

-- Fixtures. Users: reader 1111..., other 2222.... Models (the other user's): aaaa...01 public,
-- aaaa...02 public, aaaa...03 private. Conversation dddd...01 is the reader's, with 01 and 02.
insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'reader@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Elizabeth', 'character', 'Elizabeth', 'group-test-book', true, '22222222-2222-4222-8222-222222222222'),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'Darcy', 'character', 'Darcy', 'group-test-book', true, '22222222-2222-4222-8222-222222222222'),
  ('aaaaaaaa-0000-4000-8000-000000000003', 'Secret', 'character', 'Secret', 'group-test-book', false, '22222222-2222-4222-8222-222222222222');

insert into public.group_conversations (id, user_id) values
  ('dddddddd-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111');
insert into public.group_conversation_participants (conversation_id, model_id, position) values
  ('dddddddd-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001', 1),
  ('dddddddd-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', 2);

-- What each role holds ----------------------------------------------------------------------------

select table_privs_are('public', 'group_conversations', 'anon', array[]::name[], 'anon holds nothing on group_conversations');
select table_privs_are('public', 'group_conversation_participants', 'anon', array[]::name[], 'anon holds nothing on participants');
select table_privs_are('public', 'group_messages', 'anon', array[]::name[], 'anon holds nothing on group_messages');
select table_privs_are('public', 'group_messages', 'authenticated', array['SELECT']::name[],
  'authenticated holds only SELECT on the whole of group_messages: no update, no delete');

select set_eq(
  $$
    select a.attname::text from pg_catalog.pg_attribute a
    where a.attrelid = 'public.group_messages'::regclass and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'UPDATE')
  $$,
  array['rating'],
  'authenticated may update a message''s rating, nothing else'
);

select set_eq(
  $$
    select a.attname::text from pg_catalog.pg_attribute a
    where a.attrelid = 'public.group_messages'::regclass and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'INSERT')
  $$,
  array['conversation_id', 'role', 'content'],
  'authenticated may insert its own message, never a speaker, its author, order, timestamp or usage'
);

-- insert as the reader ----------------------------------------------------------------------------

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$
    insert into public.group_messages (conversation_id, role, content)
    values ('dddddddd-0000-4000-8000-000000000001', 'user', 'Good evening, both.')
    returning user_id, message_order
  $$,
  $$ values ('11111111-1111-4111-8111-111111111111'::uuid, 1) $$,
  'the reader''s message opens the conversation at order 1, written by the caller'
);

-- A persona's reply is the service's to write: a reader cannot put words in a persona's mouth.
select throws_ok(
  $$
    insert into public.group_messages (conversation_id, role, model_id, speaker_name, content) values
      ('dddddddd-0000-4000-8000-000000000001', 'assistant', 'aaaaaaaa-0000-4000-8000-000000000001', 'Elizabeth', 'Forged.')
  $$,
  '42501', 'permission denied for table group_messages',
  'the reader cannot store a participant''s reply'
);

-- Defence in depth: were the columns granted by mistake, the policy alone refuses an assistant row.
select pg_temp.clear_authentication();
grant insert (model_id, speaker_name) on public.group_messages to authenticated;
select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');
select throws_ok(
  $$
    insert into public.group_messages (conversation_id, role, model_id, speaker_name, content) values
      ('dddddddd-0000-4000-8000-000000000001', 'assistant', 'aaaaaaaa-0000-4000-8000-000000000001', 'Elizabeth', 'Forged.')
  $$,
  '42501', 'new row violates row-level security policy for table "group_messages"',
  'with the columns granted by mistake, the policy still refuses a reply written by a client'
);
select pg_temp.clear_authentication();
revoke insert (model_id, speaker_name) on public.group_messages from authenticated;

-- The service stores the replies (shared/chat/group-store.ts, after the reader's RLS found them).
select pg_temp.authenticate_as_service_role();
insert into public.group_messages (conversation_id, user_id, role, model_id, speaker_name, content) values
  ('dddddddd-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'assistant', 'aaaaaaaa-0000-4000-8000-000000000001', 'Elizabeth', 'Good evening.'),
  ('dddddddd-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'assistant', 'aaaaaaaa-0000-4000-8000-000000000002', 'Darcy', 'Madam.');
select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$ select message_order, speaker_name from public.group_messages
     where conversation_id = 'dddddddd-0000-4000-8000-000000000001' order by message_order $$,
  $$ values (1, null::text), (2, 'Elizabeth'), (3, 'Darcy') $$,
  'the trigger numbers the conversation 1, 2, 3'
);

select throws_ok(
  $$
    insert into public.group_messages (conversation_id, role, model_id, speaker_name, content)
    values ('dddddddd-0000-4000-8000-000000000001', 'assistant', 'aaaaaaaa-0000-4000-8000-000000000003', 'Secret', 'Psst.')
  $$,
  '42501', null,
  'a persona that does not take part (and the reader may not see) cannot speak'
);

select throws_ok(
  $$
    insert into public.group_conversation_participants (conversation_id, model_id, position)
    values ('dddddddd-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000003', 3)
  $$,
  '42501', null,
  'a private model of another user cannot join'
);

select throws_ok(
  $$ update public.group_messages set content = 'Rewritten' $$,
  '42501', null,
  'the reader cannot rewrite what was said'
);

select results_eq(
  $$ update public.group_messages set rating = 'up' where message_order = 2 returning speaker_name, rating $$,
  $$ values ('Elizabeth'::text, 'up'::text) $$,
  'the reader rates a persona''s reply'
);

select is_empty(
  $$ update public.group_messages set rating = 'up' where message_order = 1 returning id $$,
  'the reader''s own message has nothing to rate'
);

select throws_ok(
  $$ delete from public.group_messages $$,
  '42501', null,
  'the reader cannot delete messages'
);

select throws_ok(
  $$ insert into public.group_messages (conversation_id, role, content, message_order)
     values ('dddddddd-0000-4000-8000-000000000001', 'user', 'x', 99) $$,
  '42501', null,
  'the reader cannot choose a message_order'
);

select results_eq(
  $$ select count(*)::int from public.group_conversation_participants $$,
  $$ values (2) $$,
  'the reader reads the participants of their conversation'
);

-- the other user (the personas' owner) ------------------------------------------------------------

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select is_empty($$ select id from public.group_conversations $$, 'the personas'' owner sees no one else''s group conversation');
select is_empty($$ select 1 from public.group_conversation_participants $$, 'nor its participants');
select is_empty($$ select id from public.group_messages $$, 'nor its messages');
select is_empty(
  $$ update public.group_messages set rating = 'down' returning id $$,
  'nor rates its replies'
);

select throws_ok(
  $$ insert into public.group_messages (conversation_id, role, content)
     values ('dddddddd-0000-4000-8000-000000000001', 'user', 'Me too') $$,
  '42501', null,
  'the other user cannot continue the reader''s conversation'
);

select throws_ok(
  $$ insert into public.group_conversation_participants (conversation_id, model_id, position)
     values ('dddddddd-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000003', 3) $$,
  '42501', null,
  'the other user cannot add personas to the reader''s conversation'
);

-- anon --------------------------------------------------------------------------------------------

select pg_temp.authenticate_as_anon();

select throws_ok($$ select id from public.group_conversations $$, '42501', null, 'anon cannot read group conversations');
select throws_ok($$ select id from public.group_messages $$, '42501', null, 'anon cannot read group messages');

-- counters (at commit: the constraint triggers are deferred) --------------------------------------

select pg_temp.clear_authentication();
set constraints all immediate;

select results_eq(
  $$ select id::text, chat_count from private.fine_tuned_models where book_id = 'group-test-book' order by id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000001', 1), ('aaaaaaaa-0000-4000-8000-000000000002', 1),
            ('aaaaaaaa-0000-4000-8000-000000000003', 0) $$,
  'each persona''s replies count in its chat_count; the reader''s message counts for no one'
);

delete from private.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002';

select results_eq(
  $$ select message_order, model_id::text, speaker_name from public.group_messages
     where conversation_id = 'dddddddd-0000-4000-8000-000000000001' order by message_order $$,
  $$ values (1, null::text, null::text), (2, 'aaaaaaaa-0000-4000-8000-000000000001', 'Elizabeth'), (3, null, 'Darcy') $$,
  'a deleted persona leaves its words and name, gap-free, and no model id'
);

select * from finish();
rollback;
