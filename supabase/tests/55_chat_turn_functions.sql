-- The chat turn's two statements (private.begin_chat_turn, private.store_chat_exchange) trust the
-- claims they are given, so no client role may call them; called by the service connection they
-- act as that user, under RLS: an owner's private model is found, a stranger's is not, the quota
-- stops at its limit, and an exchange lands only in the caller's own conversation.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(10);

\ir helpers/identities.psql

insert into auth.users (id, email) values
  ('a0000000-0000-4000-8000-000000000001', 'owner@example.test'),
  ('a0000000-0000-4000-8000-000000000002', 'stranger@example.test');
insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, status, created_by)
values ('b0000000-0000-4000-8000-000000000001', 'Private persona', 'author', 'Private persona', 'book', false, 'ready',
        'a0000000-0000-4000-8000-000000000001');

create function pg_temp.claims(user_id uuid) returns jsonb language sql as $$
  select jsonb_build_object('sub', user_id, 'role', 'authenticated')
$$;

select ok(not has_function_privilege('anon', 'private.begin_chat_turn(uuid, jsonb, uuid, uuid, integer, integer)', 'execute'),
  'anon may not begin a chat turn');
select ok(not has_function_privilege('authenticated', 'private.begin_chat_turn(uuid, jsonb, uuid, uuid, integer, integer)', 'execute'),
  'authenticated may not begin a chat turn (it would choose its own claims)');
select ok(not has_function_privilege('authenticated', 'private.store_chat_exchange(jsonb, uuid, uuid, text, text, integer, integer, boolean, text)', 'execute'),
  'authenticated may not store an exchange through the service function');

select is(
  private.begin_chat_turn('a0000000-0000-4000-8000-000000000001', pg_temp.claims('a0000000-0000-4000-8000-000000000001'),
    'b0000000-0000-4000-8000-000000000001', null, 2, 50) ->> 'outcome',
  'ok', 'the owner begins a turn on their private model');
select is(
  private.begin_chat_turn('a0000000-0000-4000-8000-000000000002', pg_temp.claims('a0000000-0000-4000-8000-000000000002'),
    'b0000000-0000-4000-8000-000000000001', null, 2, 50) ->> 'outcome',
  'model_not_found', 'a stranger does not see a private model (RLS)');
select is(
  private.begin_chat_turn('a0000000-0000-4000-8000-00000000dead', pg_temp.claims('a0000000-0000-4000-8000-00000000dead'),
    'b0000000-0000-4000-8000-000000000001', null, 2, 50) ->> 'outcome',
  'user_not_found', 'a deleted user is refused before anything else');
select is(
  (select used from private.daily_chat_usage where user_id = 'a0000000-0000-4000-8000-000000000002'),
  null, 'a refused turn takes nothing from the quota');

select private.begin_chat_turn('a0000000-0000-4000-8000-000000000001', pg_temp.claims('a0000000-0000-4000-8000-000000000001'),
  'b0000000-0000-4000-8000-000000000001', null, 2, 50);
select is(
  private.begin_chat_turn('a0000000-0000-4000-8000-000000000001', pg_temp.claims('a0000000-0000-4000-8000-000000000001'),
    'b0000000-0000-4000-8000-000000000001', null, 2, 50) ->> 'outcome',
  'quota_exceeded', 'the turn past the daily quota is refused');

select is(
  private.store_chat_exchange(pg_temp.claims('a0000000-0000-4000-8000-000000000001'), 'b0000000-0000-4000-8000-000000000001',
    'c0000000-0000-4000-8000-000000000001', 'Hello', 'Good day', 3, 10, true, 'gpt-test'),
  1, 'the owner stores the first exchange of a conversation');
select throws_ok(
  $$select private.store_chat_exchange(pg_temp.claims('a0000000-0000-4000-8000-000000000002'), 'b0000000-0000-4000-8000-000000000001',
      'c0000000-0000-4000-8000-000000000002', 'Hello', 'Good day', 3, 10, true, 'gpt-test')$$,
  '42501', null, 'a stranger cannot store an exchange on a private model');

select * from finish();
rollback;
