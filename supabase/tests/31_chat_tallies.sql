-- Chats counted while their model's row was locked (private.model_chat_tallies): the row as the
-- Data API shows it includes them, the next writer that takes the row folds them in, and they are
-- as private as their model. (Concurrency itself, a commit that does not wait for a locked row, is
-- tested end to end in tests/integration/chat-turn.test.ts: one session cannot hold a lock against
-- itself.) Other suites chat on the same database meanwhile, so every check names its personas.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(13);

\ir helpers/identities.psql

insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

-- The owner's private persona ...01 and public persona ...02, three stored chats each.
insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by, chat_count, last_used_at) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Owner private', 'character', 'Elizabeth', 'tally-test-book', false,
   '11111111-1111-4111-8111-111111111111', 3, '2026-01-01 00:00:00+00'),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'Owner public', 'character', 'Victor', 'tally-test-book', true,
   '11111111-1111-4111-8111-111111111111', 3, '2026-01-01 00:00:00+00');

-- Two chats each were counted as tallies while the rows were locked.
insert into private.model_chat_tallies (model_id, chats, last_chat_at) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 1, '2026-02-01 00:00:00+00'),
  ('aaaaaaaa-0000-4000-8000-000000000001', 1, '2026-02-02 00:00:00+00'),
  ('aaaaaaaa-0000-4000-8000-000000000002', 1, '2026-02-01 00:00:00+00'),
  ('aaaaaaaa-0000-4000-8000-000000000002', 1, '2026-02-03 00:00:00+00');

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$ select chat_count, last_used_at from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  $$ values (5, '2026-02-02 00:00:00+00'::timestamptz) $$,
  'the owner sees the tallies in the row: chat_count 3 + 2, last_used_at the latest tally'
);

select results_eq(
  $$ select count(*)::int from private.model_chat_tallies t
     where t.model_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002') $$,
  $$ values (4) $$,
  'the owner may read the tallies of both their personas'
);

select throws_ok(
  $$ insert into private.model_chat_tallies (model_id, chats, last_chat_at)
     values ('aaaaaaaa-0000-4000-8000-000000000001', 100, now()) $$,
  '42501', null,
  'no user may add tallies themselves'
);

select throws_ok(
  $$ select private.fold_chat_tallies() $$,
  '42501', null,
  'a user may not run the fold'
);

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select results_eq(
  $$ select model_id::text, sum(chats)::int from private.model_chat_tallies
     where model_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002') group by model_id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000002', 2) $$,
  'another user sees only the tallies of the public persona'
);

select results_eq(
  $$ select chat_count from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values (5) $$,
  'and its chat_count with them'
);

-- A chat that takes the row folds every tally it can see.
select pg_temp.clear_authentication();
set constraints all immediate;
insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, created_at)
values ('aaaaaaaa-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222',
        'cccccccc-0000-4000-8000-000000000001', 'Hello', 'Good day.', '2026-01-15 00:00:00+00');

select results_eq(
  $$ select chat_count, last_used_at, (select count(*)::int from private.model_chat_tallies t where t.model_id = m.id)
     from private.fine_tuned_models m where m.id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values (6, '2026-02-03 00:00:00+00'::timestamptz, 0) $$,
  'the next chat folds the tallies into the row: 3 + 2 + 1, the latest time, none left'
);

-- Within a second of a fold the next chat does not rewrite the row: it adds a tally. (now() is
-- the transaction's start, so the fold above, which set last_used_at to a time in February, is
-- not recent; a fold that sets it to now() is.)
update private.fine_tuned_models set last_used_at = now() where id = 'aaaaaaaa-0000-4000-8000-000000000002';
insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response)
values ('aaaaaaaa-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222',
        'cccccccc-0000-4000-8000-000000000002', 'Again', 'Again, good day.');

select results_eq(
  $$ select m.chat_count, v.chat_count, (select count(*)::int from private.model_chat_tallies t where t.model_id = m.id)
     from private.fine_tuned_models m join public.fine_tuned_models v on v.id = m.id
     where m.id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values (6, 7, 1) $$,
  'a chat within a second of the last fold is a tally: the row as shown has it, the table''s column not yet'
);

-- A delete always takes the row, and folds what it finds.
delete from public.fine_tuned_chats where conversation_id = 'cccccccc-0000-4000-8000-000000000002';

select results_eq(
  $$ select m.chat_count, v.chat_count, (select count(*)::int from private.model_chat_tallies t where t.model_id = m.id)
     from private.fine_tuned_models m join public.fine_tuned_models v on v.id = m.id
     where m.id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values (6, 6, 0) $$,
  'a delete folds the tallies and counts itself: 6 + 1 - 1, none left'
);

-- Chats recorded with an earlier time do not make the row look recently folded.
update private.fine_tuned_models set last_used_at = '2026-01-01 00:00:00+00' where id = 'aaaaaaaa-0000-4000-8000-000000000002';
insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, created_at)
values ('aaaaaaaa-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222',
        'cccccccc-0000-4000-8000-000000000003', 'Then', 'Then.', '2026-01-10 00:00:00+00'),
       ('aaaaaaaa-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222',
        'cccccccc-0000-4000-8000-000000000003', 'And then', 'And then.', '2026-01-11 00:00:00+00');

select results_eq(
  $$ select m.chat_count, m.last_used_at, (select count(*)::int from private.model_chat_tallies t where t.model_id = m.id)
     from private.fine_tuned_models m where m.id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  $$ values (8, '2026-01-11 00:00:00+00'::timestamptz, 0) $$,
  'imported chats with their own earlier times fold one by one'
);

-- The schedule folds what no chat took.
select pg_temp.authenticate_as_service_role();
select results_eq(
  $$ select private.fold_chat_tallies() >= 1 $$,
  $$ values (true) $$,
  'the fold takes the persona with tallies left (and those of any other test running meanwhile)'
);
select pg_temp.clear_authentication();

select results_eq(
  $$ select m.chat_count, v.chat_count, (select count(*)::int from private.model_chat_tallies t where t.model_id = m.id)
     from private.fine_tuned_models m join public.fine_tuned_models v on v.id = m.id
     where m.id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  $$ values (5, 5, 0) $$,
  'after the fold the table''s column and the row as shown agree, and no tally is left'
);

delete from private.model_chat_tallies where model_id = 'aaaaaaaa-0000-4000-8000-000000000001';
insert into private.model_chat_tallies (model_id, chats, last_chat_at)
values ('aaaaaaaa-0000-4000-8000-000000000001', 1, now());
delete from private.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001';

select is_empty(
  $$ select 1 from private.model_chat_tallies where model_id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  'a deleted persona''s tallies go with it'
);

select * from finish();
rollback;
