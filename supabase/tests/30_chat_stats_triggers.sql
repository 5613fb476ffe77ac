-- chat_count and last_used_at follow the chats of a model, whoever writes them, and a chat is
-- usage rather than an edit: it leaves updated_at alone, while a real edit moves it.
--
-- The stats trigger is a deferred constraint trigger (it runs at commit, so that concurrent chats
-- on a popular model hold the model's row lock only while committing). A test transaction never
-- commits, so after checking the deferral itself this file runs `set constraints all immediate`,
-- which fires the pending events and then fires each later one at the end of its statement.
--
-- now() is constant within a transaction, so the model starts with an updated_at far in the past:
-- only then can "unchanged" and "set to now()" be told apart.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(16);

\ir helpers/identities.psql

-- Fixtures, written as postgres (the tables' owner, past RLS). Users: owner 1111..., other
-- 2222.... The owner's public model aaaa...02 was last edited in 2001 and never chatted with.
insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by, created_at, updated_at) values
  ('aaaaaaaa-0000-4000-8000-000000000002', 'Owner public', 'character', 'Victor', 'stats-test-book', true,
   '11111111-1111-4111-8111-111111111111', '2001-01-01 00:00:00+00', '2001-01-01 00:00:00+00');

select results_eq(
  $$
    select t.tgdeferrable, t.tginitdeferred
    from pg_catalog.pg_trigger t
    where t.tgrelid = 'public.fine_tuned_chats'::regclass
      and t.tgname in ('bump_model_chat_stats_on_insert', 'bump_model_chat_stats_on_delete')
  $$,
  $$ values (true, true), (true, true) $$,
  'the stats triggers are deferrable, initially deferred constraint triggers'
);

-- Answered exchanges are stored on the service path, for the user of the claims.
select private.store_chat_exchange(
  json_build_object('sub', '11111111-1111-4111-8111-111111111111', 'role', 'authenticated')::jsonb,
  'aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000001', 'Who are you?', 'Victor.',
  0, null, false, null);

select pg_temp.clear_authentication();

select results_eq(
  $$ select chat_count, last_used_at from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values (0, null::timestamptz) $$,
  'before commit the chat has not touched the model yet (the bump waits for commit)'
);

-- Fire the pending bump now, and every later one at the end of its statement.
set constraints all immediate;

select results_eq(
  $$ select chat_count, last_used_at from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values (1, now()) $$,
  'the owner''s chat counts once and sets last_used_at to the chat''s time'
);

select results_eq(
  $$ select updated_at from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values ('2001-01-01 00:00:00+00'::timestamptz) $$,
  'a chat does not change updated_at'
);

-- Another user may not update the owner's model, yet their chats are counted on it.
select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select is_empty(
  $$ update public.fine_tuned_models set name = 'Mine now' where id = 'aaaaaaaa-0000-4000-8000-000000000002' returning id $$,
  'the other user cannot update the owner''s model themselves'
);

select pg_temp.clear_authentication();

select lives_ok(
  $$
    select private.store_chat_exchange(
             json_build_object('sub', '22222222-2222-4222-8222-222222222222', 'role', 'authenticated')::jsonb,
             'aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000002', e.asked, e.answered,
             0, null, false, null)
    from (values (1, 'Hello', 'Good day.'), (2, 'And then?', 'Then the storm.')) e (n, asked, answered)
    order by e.n
  $$,
  'the other user chats twice with the owner''s public model'
);

select results_eq(
  $$ select chat_count from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values (3) $$,
  'the other user''s chats are counted on the owner''s model'
);

select results_eq(
  $$
    select m.chat_count::bigint
    from public.fine_tuned_models m
    where m.id = 'aaaaaaaa-0000-4000-8000-000000000002'
  $$,
  $$ select count(*) from public.fine_tuned_chats where model_id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  'chat_count equals the number of chats after inserts'
);

-- last_used_at only moves forward: an exchange recorded late with an earlier time keeps it.
select pg_temp.authenticate_as_service_role();

insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, created_at)
values ('aaaaaaaa-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222',
        'cccccccc-0000-4000-8000-000000000003', 'Late', 'Recorded late', '2002-02-02 00:00:00+00');

select pg_temp.clear_authentication();

select results_eq(
  $$ select chat_count, last_used_at from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values (4, now()) $$,
  'an older chat is counted but does not move last_used_at back'
);

-- Clients cannot delete chats; the service role can (and cascades do), and the count follows.
select pg_temp.authenticate_as_service_role();

select results_eq(
  $$ delete from public.fine_tuned_chats where conversation_id = 'cccccccc-0000-4000-8000-000000000003' returning user_message $$,
  $$ values ('Late'::text) $$,
  'the service role deletes a chat'
);

select pg_temp.clear_authentication();

select results_eq(
  $$ select chat_count from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values (3) $$,
  'deleting a chat decrements chat_count'
);

select results_eq(
  $$
    select m.chat_count::bigint
    from public.fine_tuned_models m
    where m.id = 'aaaaaaaa-0000-4000-8000-000000000002'
  $$,
  $$ select count(*) from public.fine_tuned_chats where model_id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  'chat_count equals the number of chats after a delete'
);

select results_eq(
  $$ select updated_at from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values ('2001-01-01 00:00:00+00'::timestamptz) $$,
  'neither the other user''s chats nor the delete changed updated_at'
);

-- A real edit by the owner does move updated_at, and leaves the counters alone.
select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$
    update public.fine_tuned_models set description = 'The creator, in his own words'
    where id = 'aaaaaaaa-0000-4000-8000-000000000002'
    returning updated_at, chat_count
  $$,
  $$ values (now(), 3) $$,
  'an edit by the owner sets updated_at to now and keeps chat_count'
);

select pg_temp.clear_authentication();

select results_eq(
  $$ select chat_count, last_used_at, updated_at from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values (3, now(), now()) $$,
  'the model ends with three chats, used and edited now'
);

-- The counters live on the table behind the view; both show the same.
select results_eq(
  $$ select chat_count, last_used_at, updated_at from private.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ select chat_count, last_used_at, updated_at from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  'private.bump_model_chat_stats maintains private.fine_tuned_models, which the view shows'
);

select * from finish();
rollback;
