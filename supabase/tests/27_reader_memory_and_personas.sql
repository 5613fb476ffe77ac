-- Memories, reader personas, their per-conversation choice and conversation summaries are private
-- to their reader: another reader sees and changes none of them, anon reaches nothing, and no
-- reader writes a row as someone else or writes a summary (the chat service does).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(24);

\ir helpers/identities.psql

-- Readers 4141... (owner of everything below) and 4242...; one public model of another owner 4343....
insert into auth.users (id, email) values
  ('41414141-4141-4141-8141-414141414141', 'memory-reader@storyvoice.test'),
  ('42424242-4242-4242-8242-424242424242', 'memory-other@storyvoice.test'),
  ('43434343-4343-4343-8343-434343434343', 'memory-owner@storyvoice.test');
insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000041', 'Memory public', 'character', 'Elizabeth', 'memory-book', true, '43434343-4343-4343-8343-434343434343'),
  ('aaaaaaaa-0000-4000-8000-000000000042', 'Memory private', 'character', 'Darcy', 'memory-book', false, '43434343-4343-4343-8343-434343434343');
insert into public.conversation_summaries (user_id, conversation_id, model_id, summary, covers_through) values
  ('41414141-4141-4141-8141-414141414141', 'cccccccc-0000-4000-8000-000000000041', 'aaaaaaaa-0000-4000-8000-000000000041', 'The reader has a dog named Biscuit.', 3);

select policies_are('public', 'reader_memories',
  array['Readers can read their own memories', 'Readers can pin memories of their own',
        'Readers can edit their own memories', 'Readers can delete their own memories'],
  'memories have a read, a pin, an edit and a delete policy');
select policies_are('public', 'conversation_summaries',
  array['Readers can read their own conversation summaries'],
  'summaries have a read policy only: the service writes them');

-- The reader ------------------------------------------------------------------------------------------

select pg_temp.authenticate_as('41414141-4141-4141-8141-414141414141');

select lives_ok(
  $$ insert into public.reader_memories (model_id, text)
     values ('aaaaaaaa-0000-4000-8000-000000000041', 'My dog is called Biscuit.') $$,
  'a reader pins a memory for a persona they can chat with');
select lives_ok(
  $$ insert into public.reader_personas (name, description, is_default)
     values ('Captain Wentworth', 'A naval officer', true) $$,
  'a reader creates a default persona');
select lives_ok(
  $$ insert into public.conversation_reader_personas (conversation_id, reader_persona_id)
     select 'cccccccc-0000-4000-8000-000000000041', id from public.reader_personas $$,
  'and chooses it for a conversation');
select results_eq(
  $$ select user_id from public.reader_memories $$,
  $$ values ('41414141-4141-4141-8141-414141414141'::uuid) $$,
  'the memory is the reader''s');
select results_eq(
  $$ select summary from public.conversation_summaries $$,
  $$ values ('The reader has a dog named Biscuit.') $$,
  'the reader reads their conversation''s summary');
select throws_ok(
  $$ insert into public.reader_memories (user_id, model_id, text)
     values ('42424242-4242-4242-8242-424242424242', 'aaaaaaaa-0000-4000-8000-000000000041', 'planted') $$,
  '42501', 'permission denied for table reader_memories',
  'a reader cannot pin a memory for someone else');
select throws_ok(
  $$ insert into public.reader_memories (model_id, text) values ('aaaaaaaa-0000-4000-8000-000000000042', 'hidden') $$,
  '42501', 'new row violates row-level security policy for table "reader_memories"',
  'nor for a private persona of someone else');
select throws_ok(
  $$ update public.reader_personas set user_id = '42424242-4242-4242-8242-424242424242' $$,
  '42501', 'permission denied for table reader_personas',
  'nor hand a persona to someone else');
select throws_ok(
  $$ update public.conversation_summaries set summary = 'rewritten' $$,
  '42501', 'permission denied for table conversation_summaries',
  'nor write a summary');
select throws_ok(
  $$ insert into public.reader_personas (name, is_default) values ('Second default', true) $$,
  '23505', null,
  'a reader has one default persona at most');

-- Another reader --------------------------------------------------------------------------------------

select pg_temp.clear_authentication();
create temporary table first_persona as select id from public.reader_personas;
grant select on first_persona to authenticated;
select pg_temp.authenticate_as('42424242-4242-4242-8242-424242424242');

select is_empty($$ select 1 from public.reader_memories $$, 'another reader sees no memory of the first');
select is_empty($$ select 1 from public.reader_personas $$, 'nor their personas');
select is_empty($$ select 1 from public.conversation_reader_personas $$, 'nor their conversation choices');
select is_empty($$ select 1 from public.conversation_summaries $$, 'nor their summaries');
select is_empty(
  $$ update public.reader_memories set text = 'changed' returning 1 $$,
  'nor edits their memories');
select is_empty(
  $$ delete from public.reader_personas returning 1 $$,
  'nor deletes their personas');
select throws_ok(
  $$ insert into public.conversation_reader_personas (conversation_id, reader_persona_id)
     select 'cccccccc-0000-4000-8000-000000000042', id from first_persona $$,
  '42501', 'new row violates row-level security policy for table "conversation_reader_personas"',
  'nor chooses their persona for a conversation of their own');

-- Anonymous --------------------------------------------------------------------------------------------

select pg_temp.authenticate_as_anon();

select throws_ok($$ select 1 from public.reader_memories $$, '42501', 'permission denied for table reader_memories',
  'anon cannot read memories');
select throws_ok($$ select 1 from public.reader_personas $$, '42501', 'permission denied for table reader_personas',
  'anon cannot read reader personas');
select throws_ok($$ select 1 from public.conversation_summaries $$, '42501', 'permission denied for table conversation_summaries',
  'anon cannot read summaries');

-- The first reader again: what the other tried left their rows as they were -----------------------------

select pg_temp.authenticate_as('41414141-4141-4141-8141-414141414141');
select results_eq($$ select text from public.reader_memories $$, $$ values ('My dog is called Biscuit.') $$,
  'the memory is unchanged');
select results_eq($$ select count(*)::integer from public.reader_personas $$, $$ values (1) $$,
  'the persona is still there');

select * from finish();
rollback;
