-- Alternatives ("swipes") and rewind: every reply of an exchange is kept, private to the reader who
-- chatted, and the exchange always carries the chosen one; a rewind deletes an exchange and all
-- after it, and leaves chat_count, examples and alternatives consistent with what is left.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(18);

\ir helpers/identities.psql

-- Users: reader 1111..., other 2222.... The other user's public model aaaa...27. The reader's
-- conversation cccc...27: exchanges dddd...01 (order 1) and dddd...02 (order 2, the last).
insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'reader@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000027', 'Public', 'character', 'Jane', 'alternatives-test-book', true,
   '22222222-2222-4222-8222-222222222222');

-- Chat counting fires at each statement's end from here on (a test transaction never commits).
set constraints all immediate;

insert into public.fine_tuned_chats (id, model_id, user_id, conversation_id, user_message, ai_response, rating) values
  ('dddddddd-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000027', '11111111-1111-4111-8111-111111111111',
   'cccccccc-0000-4000-8000-000000000027', 'Hello?', 'Good day.', null),
  ('dddddddd-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000027', '11111111-1111-4111-8111-111111111111',
   'cccccccc-0000-4000-8000-000000000027', 'Who are you?', 'Jane.', 'up');

create function pg_temp.claims(user_id uuid) returns jsonb
language sql as $$ select json_build_object('sub', user_id, 'role', 'authenticated')::jsonb $$;

-- The service stores alternatives ---------------------------------------------------------------------

select is(
  private.store_chat_alternative(pg_temp.claims('11111111-1111-4111-8111-111111111111'),
    'dddddddd-0000-4000-8000-000000000001', 'regenerate', null, 'Hello?', 'Hi.', 1, 1, false, 'm') ->> 'outcome',
  'not_last',
  'only the last exchange of a conversation gets another reply'
);
select is(
  private.store_chat_alternative(pg_temp.claims('22222222-2222-4222-8222-222222222222'),
    'dddddddd-0000-4000-8000-000000000002', 'regenerate', null, 'Who are you?', 'Mine now.', 1, 1, false, 'm') ->> 'outcome',
  'not_found',
  'another user cannot give the reader''s exchange a reply'
);
select is(
  private.store_chat_alternative(pg_temp.claims('11111111-1111-4111-8111-111111111111'),
    'dddddddd-0000-4000-8000-000000000002', 'regenerate', 'shorter', 'Who are you?', 'J.', 2, 5, false, 'm') ->> 'position',
  '2',
  'the first regeneration keeps the original as 1 and stores itself as 2'
);
select results_eq(
  $$ select ai_response, rating, tokens_used from public.fine_tuned_chats where id = 'dddddddd-0000-4000-8000-000000000002' $$,
  $$ values ('J.'::text, null::text, 2) $$,
  'the exchange carries the chosen (new) reply, unrated'
);
select results_eq(
  $$ select position, kind, ai_response, rating, chosen from public.chat_alternatives
     where chat_id = 'dddddddd-0000-4000-8000-000000000002' order by position $$,
  $$ values (1, 'original'::text, 'Jane.'::text, 'up'::text, false), (2, 'regenerate', 'J.', null, true) $$,
  'the original reply is kept with its rating'
);

-- Choosing the original brings its reply and its rating back.
select is(
  private.choose_chat_alternative(pg_temp.claims('11111111-1111-4111-8111-111111111111'),
    'dddddddd-0000-4000-8000-000000000002',
    (select id from public.chat_alternatives where chat_id = 'dddddddd-0000-4000-8000-000000000002' and position = 1)) ->> 'outcome',
  'ok',
  'the reader chooses the original'
);
select results_eq(
  $$ select ai_response, rating from public.fine_tuned_chats where id = 'dddddddd-0000-4000-8000-000000000002' $$,
  $$ values ('Jane.'::text, 'up'::text) $$,
  'the exchange carries the original and its rating again'
);
select is(
  private.choose_chat_alternative(pg_temp.claims('22222222-2222-4222-8222-222222222222'),
    'dddddddd-0000-4000-8000-000000000002',
    (select id from public.chat_alternatives where chat_id = 'dddddddd-0000-4000-8000-000000000002' and position = 2)) ->> 'outcome',
  'not_found',
  'another user cannot choose among the reader''s replies'
);

-- What clients may do ---------------------------------------------------------------------------

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');
select results_eq(
  $$ select count(*)::integer from public.chat_alternatives $$,
  $$ values (2) $$,
  'the reader reads the replies of their exchange'
);
select throws_ok(
  $$ update public.chat_alternatives set ai_response = 'rewritten' $$,
  '42501', null,
  'the reader cannot rewrite a reply'
);
select throws_ok(
  $$ insert into public.chat_alternatives (chat_id, user_id, position, kind, user_message, ai_response)
     values ('dddddddd-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 9, 'regenerate', 'x', 'y') $$,
  '42501', null,
  'the reader cannot write a reply in the persona''s mouth'
);

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');
select is_empty(
  $$ select id from public.chat_alternatives $$,
  'the model''s owner does not see the reader''s replies'
);

select pg_temp.authenticate_as_anon();
select throws_ok(
  $$ select id from public.chat_alternatives $$,
  '42501', null,
  'anonymous callers have no access'
);
select pg_temp.clear_authentication();

-- Rewind ------------------------------------------------------------------------------------------

insert into public.training_examples (model_id, source, position, messages, chat_id) values
  ('aaaaaaaa-0000-4000-8000-000000000027', 'chat', 0,
   '[{"role":"user","content":"Who are you?"},{"role":"assistant","content":"Jane."}]',
   'dddddddd-0000-4000-8000-000000000002');

insert into public.conversation_summaries (user_id, conversation_id, model_id, summary, covers_through) values
  ('11111111-1111-4111-8111-111111111111', 'cccccccc-0000-4000-8000-000000000027',
   'aaaaaaaa-0000-4000-8000-000000000027', 'They said hello.', 1);

select is(
  private.rewind_conversation(pg_temp.claims('22222222-2222-4222-8222-222222222222'), 'dddddddd-0000-4000-8000-000000000001'),
  null::integer,
  'another user cannot rewind the reader''s conversation'
);
select is(
  private.rewind_conversation(pg_temp.claims('11111111-1111-4111-8111-111111111111'), 'dddddddd-0000-4000-8000-000000000001'),
  2,
  'rewinding to the first exchange deletes it and the one after'
);
select results_eq(
  $$ select (select chat_count from private.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000027')
            + coalesce((select sum(chats) from private.model_chat_tallies
                        where model_id = 'aaaaaaaa-0000-4000-8000-000000000027'), 0)::integer,
            (select count(*)::integer from public.fine_tuned_chats where model_id = 'aaaaaaaa-0000-4000-8000-000000000027') $$,
  $$ values (0, 0) $$,
  'the model counts no chat for the rewound exchanges'
);
select results_eq(
  $$ select (select count(*)::integer from public.chat_alternatives
             where chat_id in ('dddddddd-0000-4000-8000-000000000001', 'dddddddd-0000-4000-8000-000000000002')),
            (select count(*)::integer from public.training_examples where model_id = 'aaaaaaaa-0000-4000-8000-000000000027') $$,
  $$ values (0, 0) $$,
  'their replies and the examples taken from them are gone too'
);
select is_empty(
  $$ select 1 from public.conversation_summaries where conversation_id = 'cccccccc-0000-4000-8000-000000000027' $$,
  'a summary that folded in a rewound exchange is gone'
);

select * from finish();
rollback;
