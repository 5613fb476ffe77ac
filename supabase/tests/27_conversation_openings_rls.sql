-- A conversation's opening is its reader's alone: they add it only to their own conversation with
-- that model, read only their own, never change or delete it; another reader and anon see nothing.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(9);

\ir helpers/identities.psql

-- Reader 2727..., other reader 2828...; the reader's conversation cccc...27 with model aaaa...27.
insert into auth.users (id, email, raw_user_meta_data) values
  ('27272727-2727-4727-8727-272727272727', 'opening-reader@storyvoice.test', '{}'),
  ('28282828-2828-4828-8828-282828282828', 'opening-other@storyvoice.test', '{}');
insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000027', 'Opening public', 'character', 'Emma', 'opening-test-book', true, '27272727-2727-4727-8727-272727272727'),
  ('aaaaaaaa-0000-4000-8000-000000000028', 'Opening other', 'character', 'Harriet', 'opening-test-book', true, '27272727-2727-4727-8727-272727272727');
insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, imported) values
  ('aaaaaaaa-0000-4000-8000-000000000027', '27272727-2727-4727-8727-272727272727', 'cccccccc-0000-4000-8000-000000000027', 'Hello', 'Good morning', true);

-- The reader -------------------------------------------------------------------------------------

select pg_temp.authenticate_as('27272727-2727-4727-8727-272727272727');
select throws_ok(
  $$ insert into public.conversation_openings (conversation_id, model_id, content)
     values ('cccccccc-0000-4000-8000-000000000027', 'aaaaaaaa-0000-4000-8000-000000000028', 'Welcome.') $$,
  '42501', 'new row violates row-level security policy for table "conversation_openings"',
  'a reader cannot give their conversation an opening under another model');
select lives_ok(
  $$ insert into public.conversation_openings (conversation_id, model_id, content)
     values ('cccccccc-0000-4000-8000-000000000027', 'aaaaaaaa-0000-4000-8000-000000000027', 'Welcome.') $$,
  'a reader adds the opening of their own conversation');
select results_eq(
  $$ select content from public.conversation_openings $$, $$ values ('Welcome.') $$,
  'and reads it');
select throws_ok(
  $$ update public.conversation_openings set content = 'Changed.' $$,
  '42501', 'permission denied for table conversation_openings',
  'but cannot change it');
select throws_ok(
  $$ delete from public.conversation_openings $$,
  '42501', 'permission denied for table conversation_openings',
  'nor delete it');

-- Another reader ---------------------------------------------------------------------------------

select pg_temp.authenticate_as('28282828-2828-4828-8828-282828282828');
select is_empty($$ select 1 from public.conversation_openings $$, 'another reader sees no opening');
select throws_ok(
  $$ insert into public.conversation_openings (conversation_id, model_id, content)
     values (gen_random_uuid(), 'aaaaaaaa-0000-4000-8000-000000000027', 'Mine now.') $$,
  '42501', 'new row violates row-level security policy for table "conversation_openings"',
  'nor adds an opening to a conversation they do not hold');
select throws_ok(
  $$ insert into public.conversation_openings (conversation_id, model_id, user_id, content)
     values (gen_random_uuid(), 'aaaaaaaa-0000-4000-8000-000000000027', '27272727-2727-4727-8727-272727272727', 'Theirs.') $$,
  '42501', 'permission denied for table conversation_openings',
  'nor writes one in someone else''s name');

-- Anonymous --------------------------------------------------------------------------------------

select pg_temp.authenticate_as_anon();
select throws_ok(
  $$ select 1 from public.conversation_openings $$,
  '42501', 'permission denied for table conversation_openings',
  'anon cannot read openings');

select * from finish();
rollback;
