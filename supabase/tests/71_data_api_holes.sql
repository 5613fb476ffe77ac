-- What an attacker with a user token and the anon key could do through the Data API (or SQL as a
-- client role), each refused per role: anon, the owner and another signed-in user.
--   1. create models past the quotas (clients insert no models: the create functions reserve first);
--   2. forge chats that count as a model's words (clients insert only `imported` exchanges, which
--      count in no chat_count, no popularity and no one's training examples);
--   3. read owner-only columns of other users' models in any schema (even with private exposed);
--   4. touch a sequence (setval to the maximum would break every later book upload).
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(35);

\ir helpers/identities.psql

-- Fixtures. Owner 1111... has a public, trained model aaaa...01; reader 2222... consents to share
-- rated chats. Chats commit their counters at once here (the triggers are deferred otherwise).
set constraints all immediate;

insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'reader@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by,
  status, openai_job_id, openai_model_id, training_file_id, training_tokens, estimated_cost_usd, error) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Owner public', 'character', 'Victor', 'holes-test-book', true,
   '11111111-1111-4111-8111-111111111111', 'completed', 'ftjob-secret', 'ft:gpt-4.1-mini:secret', 'file-secret',
   19600, 1.2500, null);

insert into public.chat_sharing_consents (user_id, share_rated_chats) values
  ('22222222-2222-4222-8222-222222222222', true);

create temporary table creators (who text primary key, claims_user uuid);
insert into creators values ('owner', '11111111-1111-4111-8111-111111111111'),
                            ('other', '22222222-2222-4222-8222-222222222222');
grant select on creators to anon, authenticated;

-- 1. Models: no client inserts one, so no client skips the quota -------------------------------

select pg_temp.authenticate_as_anon();
select throws_ok(
  $$ insert into public.fine_tuned_models (name, type, entity_name, book_id)
     select 'Burst ' || n, 'author', 'Author ' || n, 'holes-test-book' from generate_series(1, 50) n $$,
  '42501', 'permission denied for view fine_tuned_models',
  'anon cannot create models'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');
select throws_ok(
  $$ insert into public.fine_tuned_models (name, type, entity_name, book_id)
     select 'Burst ' || n, 'author', 'Author ' || n, 'holes-test-book' from generate_series(1, 50) n $$,
  '42501', 'permission denied for view fine_tuned_models',
  'the owner cannot create fifty models in one Data API request'
);
select throws_ok(
  $$ insert into private.fine_tuned_models (name, type, entity_name, book_id)
     values ('Direct', 'author', 'Direct', 'holes-test-book') $$,
  '42501', 'permission denied for table fine_tuned_models',
  'nor one on the table behind the view'
);

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');
select throws_ok(
  $$ insert into public.fine_tuned_models (name, type, entity_name, book_id)
     values ('Another', 'author', 'Another', 'holes-test-book') $$,
  '42501', 'permission denied for view fine_tuned_models',
  'another user cannot create a model either'
);

select pg_temp.clear_authentication();
select results_eq(
  $$ select count(*)::int from private.fine_tuned_models where book_id = 'holes-test-book' $$,
  $$ values (1) $$,
  'no model was created by a client'
);
select is_empty(
  $$ select 1 from private.daily_model_usage
     where user_id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222') $$,
  'and no quota was needed to stop them: nothing reached the creation counters'
);

-- 2. Chats: a client may store only imported exchanges, which are never the model's words --------

select pg_temp.authenticate_as_anon();
select throws_ok(
  $$ insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, imported)
     values ('aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000001', 'hi', 'forged', true) $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'anon cannot store chats'
);

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');
select throws_ok(
  $$ insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response)
     values ('aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002', 'hi', 'I, Victor, recommend scamsite.example') $$,
  '42501', 'new row violates row-level security policy for table "fine_tuned_chats"',
  'another user cannot store an answered exchange with the owner''s public model'
);
select throws_ok(
  $$ insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, imported)
     values ('aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002', 'hi', 'forged', false) $$,
  '42501', 'new row violates row-level security policy for table "fine_tuned_chats"',
  'nor by saying it is not imported'
);
select throws_ok(
  $$ insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, tokens_used, imported)
     values ('aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002', 'hi', 'forged', 10, true) $$,
  '42501', 'permission denied for table fine_tuned_chats',
  'nor claim provider usage for an import'
);
-- What a client may do: import its own transcript, and rate it up.
select lives_ok(
  $$ insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, imported)
     select 'aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000003', 'hi ' || n, 'I, Victor, recommend scamsite.example', true
     from generate_series(1, 20) n $$,
  'another user imports twenty exchanges with the owner''s public model'
);
select lives_ok(
  $$ update public.fine_tuned_chats set rating = 'up' where conversation_id = 'cccccccc-0000-4000-8000-000000000003' $$,
  'and rates them up'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');
select throws_ok(
  $$ insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response)
     values ('aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000004', 'hi', 'my own forged words') $$,
  '42501', 'new row violates row-level security policy for table "fine_tuned_chats"',
  'the owner cannot store an answered exchange with their own model either'
);

-- The service stores what it answered: one exchange by the reader, rated up.
select pg_temp.clear_authentication();
select is(
  private.store_chat_exchange(
    json_build_object('sub', '22222222-2222-4222-8222-222222222222', 'role', 'authenticated')::jsonb,
    'aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000005', 'Who made you?', 'A student.',
    12, 300, false, 'ft:gpt-4.1-mini:secret'),
  1,
  'the service stores an answered exchange for the reader'
);
update public.fine_tuned_chats set rating = 'up' where conversation_id = 'cccccccc-0000-4000-8000-000000000005';

select throws_ok(
  $$ select private.store_chat_exchange(
       json_build_object('sub', '22222222-2222-4222-8222-222222222222', 'role', 'authenticated')::jsonb,
       'deadbeef-0000-4000-8000-000000000000', 'cccccccc-0000-4000-8000-000000000006', 'hi', 'no', 0, null, false, null) $$,
  '42501', null,
  'the service stores nothing on a model the user may not see'
);

select results_eq(
  $$ select chat_count from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  $$ values (1) $$,
  'chat_count counts the answered exchange only, not the twenty imported ones'
);

select is(private.refresh_model_popularity() >= 1, true, 'the popularity refresh runs');
select results_eq(
  $$ select recent_chat_count from private.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  $$ values (1) $$,
  'popularity counts the answered exchange only'
);

select results_eq(
  $$ select messages -> 1 ->> 'content' from private.take_consented_rated_exchanges(
       '11111111-1111-4111-8111-111111111111', 'aaaaaaaa-0000-4000-8000-000000000001') $$,
  $$ values ('A student.'::text) $$,
  'the owner''s examples take the consenting reader''s answered exchange, never the imported words'
);

-- 3. Owner-only columns: unreadable for anyone but the owner, in every schema -------------------

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');
select results_eq(
  $$ select openai_job_id, openai_model_id, training_file_id, training_tokens, estimated_cost_usd, error
     from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  $$ values (null::text, null::text, null::text, null::integer, null::numeric, null::text) $$,
  'another user sees the owner-only columns blank through the view'
);
select throws_ok(
  $$ select openai_model_id from private.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  '42501', 'permission denied for table fine_tuned_models',
  'another user cannot select them from the private table (were private exposed)'
);
select throws_ok(
  $$ select * from private.fine_tuned_models $$,
  '42501', 'permission denied for table fine_tuned_models',
  'nor select * there'
);
select throws_ok(
  $$ select fine_tune_provider, fine_tune_base_model from private.fine_tuned_models $$,
  '42501', 'permission denied for table fine_tuned_models',
  'nor the live fine-tune''s route'
);
select is_empty(
  $$ select 1 from private.model_owner_fields where model_id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  'another user finds no row of the owner''s in the owner-only mirror'
);
select results_eq(
  $$ select name, chat_count from private.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  $$ values ('Owner public'::text, 1) $$,
  'what the view shows everyone stays readable on the table'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');
select results_eq(
  $$ select openai_job_id, openai_model_id, training_file_id, training_tokens, estimated_cost_usd
     from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  $$ values ('ftjob-secret'::text, 'ft:gpt-4.1-mini:secret'::text, 'file-secret'::text, 19600, 1.2500::numeric) $$,
  'the owner sees their own provider ids, tokens and cost through the view'
);
select throws_ok(
  $$ select openai_model_id from private.fine_tuned_models $$,
  '42501', 'permission denied for table fine_tuned_models',
  'the owner too reads them only through the view (or the mirror), not on the table'
);

-- "One dashboard setting away": with private usable by anon too, anon still reads nothing.
select pg_temp.clear_authentication();
grant usage on schema private to anon;
select pg_temp.authenticate_as_anon();
select throws_ok(
  $$ select openai_model_id from private.fine_tuned_models $$,
  '42501', 'permission denied for table fine_tuned_models',
  'anon cannot read the private table even with the schema exposed'
);
select throws_ok(
  $$ select * from private.model_owner_fields $$,
  '42501', 'permission denied for table model_owner_fields',
  'nor the owner-only mirror'
);
select pg_temp.clear_authentication();
revoke usage on schema private from anon;

-- The mirror follows the model, whoever writes it.
update private.fine_tuned_models set error = 'new error' where id = 'aaaaaaaa-0000-4000-8000-000000000001';
select results_eq(
  $$ select error from private.model_owner_fields where model_id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  $$ values ('new error'::text) $$,
  'the owner-only mirror follows the model''s columns'
);

-- 4. Sequences: no client touches one --------------------------------------------------------------

select pg_temp.authenticate_as_anon();
select throws_ok(
  $$ select pg_catalog.setval('public.book_passages_id_seq', 9223372036854775807) $$,
  '42501', 'permission denied for sequence book_passages_id_seq',
  'anon cannot setval the passages sequence'
);
select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');
select throws_ok(
  $$ select pg_catalog.setval('public.book_passages_id_seq', 9223372036854775807) $$,
  '42501', 'permission denied for sequence book_passages_id_seq',
  'a signed-in user cannot setval it'
);
select throws_ok(
  $$ select pg_catalog.nextval('public.book_passages_id_seq') $$,
  '42501', 'permission denied for sequence book_passages_id_seq',
  'nor take a value from it'
);
select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');
select throws_ok(
  $$ select last_value from public.book_passages_id_seq $$,
  '42501', 'permission denied for sequence book_passages_id_seq',
  'nor read it'
);

-- A sequence created by a later migration starts without client privileges.
select pg_temp.clear_authentication();
create sequence public.holes_test_seq;
select ok(
  not pg_catalog.has_sequence_privilege('anon', 'public.holes_test_seq', 'USAGE, SELECT, UPDATE')
  and not pg_catalog.has_sequence_privilege('authenticated', 'public.holes_test_seq', 'USAGE, SELECT, UPDATE'),
  'a new sequence in public grants clients nothing'
);

select * from finish();
rollback;
