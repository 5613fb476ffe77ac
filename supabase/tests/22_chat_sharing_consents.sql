-- Consented chats: a reader's sharing setting is theirs alone (off unless they turn it on), and
-- the owner of a PUBLIC model may take (through the service connection, which verified them) only
-- consenting readers' up-rated exchanges, anonymised, never a private model's, never another
-- owner's, never those of readers who did not consent; the owner never reads the chats themselves.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(20);

\ir helpers/identities.psql

-- Users: owner 3131..., consenting reader 3232..., other reader 3333.... Models (the owner's):
-- aaaa...31 public, aaaa...32 private. Exchanges: eeee...01/02 the consenting reader's (up, down)
-- with the public model, eeee...03 the other reader's (up), eeee...04 the consenting reader's
-- (up) with the private model.
insert into auth.users (id, email, raw_user_meta_data) values
  ('31313131-3131-4131-8131-313131313131', 'sharing-owner@storyvoice.test', '{}'),
  ('32323232-3232-4232-8232-323232323232', 'ada.lovelace@storyvoice.test', '{"full_name": "Ada Lovelace"}'),
  ('33333333-3333-4333-8333-333333333333', 'sharing-other@storyvoice.test', '{}');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000031', 'Sharing public', 'character', 'Victor', 'sharing-test-book', true, '31313131-3131-4131-8131-313131313131'),
  ('aaaaaaaa-0000-4000-8000-000000000032', 'Sharing private', 'character', 'Clerval', 'sharing-test-book', false, '31313131-3131-4131-8131-313131313131');

insert into public.fine_tuned_chats (id, model_id, user_id, conversation_id, user_message, ai_response, rating) values
  ('eeeeeeee-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000031', '32323232-3232-4232-8232-323232323232', 'cccccccc-0000-4000-8000-000000000031',
   'I am Ada Lovelace (ada.lovelace@example.com, +44 20 7946 0958). Why the north?', 'Because ADA, the ice is honest.', 'up'),
  ('eeeeeeee-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000031', '32323232-3232-4232-8232-323232323232', 'cccccccc-0000-4000-8000-000000000031',
   'And the creature?', 'Do not ask.', 'down'),
  ('eeeeeeee-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000031', '33333333-3333-4333-8333-333333333333', 'cccccccc-0000-4000-8000-000000000033',
   'Other asks', 'Victor answers the other', 'up'),
  ('eeeeeeee-0000-4000-8000-000000000004', 'aaaaaaaa-0000-4000-8000-000000000032', '32323232-3232-4232-8232-323232323232', 'cccccccc-0000-4000-8000-000000000034',
   'Private asks', 'Clerval answers', 'up');

select policies_are('public', 'chat_sharing_consents',
  array['Users can read their own chat sharing consent', 'Users can record their own chat sharing consent',
        'Users can change their own chat sharing consent'],
  'a consent has a read, a record and a change policy, nothing more');

-- The consenting reader -----------------------------------------------------------------------------

select pg_temp.authenticate_as('32323232-3232-4232-8232-323232323232');

select lives_ok(
  $$ insert into public.chat_sharing_consents (share_rated_chats) values (true) $$,
  'a reader records their consent');
select results_eq(
  $$ select user_id, share_rated_chats from public.chat_sharing_consents $$,
  $$ values ('32323232-3232-4232-8232-323232323232'::uuid, true) $$,
  'and reads only their own setting');
select throws_ok(
  $$ insert into public.chat_sharing_consents (user_id, share_rated_chats) values ('33333333-3333-4333-8333-333333333333', true) $$,
  '42501', 'permission denied for table chat_sharing_consents',
  'a reader cannot consent for someone else');
select throws_ok(
  $$ update public.chat_sharing_consents set user_id = '33333333-3333-4333-8333-333333333333' $$,
  '42501', 'permission denied for table chat_sharing_consents',
  'nor hand their setting to another user');

-- The other reader ----------------------------------------------------------------------------------

select pg_temp.authenticate_as('33333333-3333-4333-8333-333333333333');

select is_empty($$ select 1 from public.chat_sharing_consents $$, 'another reader does not see the consent');
select is_empty(
  $$ update public.chat_sharing_consents set share_rated_chats = false where user_id = '32323232-3232-4232-8232-323232323232' returning 1 $$,
  'nor changes it');

-- The model's owner -----------------------------------------------------------------------------------

select pg_temp.authenticate_as('31313131-3131-4131-8131-313131313131');

select is_empty(
  $$ select 1 from public.fine_tuned_chats where id in ('eeeeeeee-0000-4000-8000-000000000001', 'eeeeeeee-0000-4000-8000-000000000003') $$,
  'the owner still cannot read readers'' chats');
select throws_ok(
  $$ select * from private.take_consented_rated_exchanges('31313131-3131-4131-8131-313131313131', 'aaaaaaaa-0000-4000-8000-000000000031') $$,
  '42501', null,
  'nor take them directly: only the service connection does, for the owner it verified');
select throws_ok(
  $$ insert into public.training_examples (model_id, source, position, messages, chat_id)
     values ('aaaaaaaa-0000-4000-8000-000000000031', 'chat', 0, '[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]',
             'eeeeeeee-0000-4000-8000-000000000001') $$,
  '42501', 'new row violates row-level security policy for table "training_examples"',
  'nor link an example to a reader''s exchange, consented or not');

-- The service connection, for the owner ----------------------------------------------------------------------

select pg_temp.clear_authentication();

select is_empty(
  $$ select * from private.take_consented_rated_exchanges('33333333-3333-4333-8333-333333333333', 'aaaaaaaa-0000-4000-8000-000000000031') $$,
  'a reader who does not own the model takes nothing from it');
select is_empty(
  $$ select * from private.take_consented_rated_exchanges('31313131-3131-4131-8131-313131313131', 'aaaaaaaa-0000-4000-8000-000000000032') $$,
  'nothing from a private model');
select results_eq(
  $$ select source, chat_id, position, messages
     from private.take_consented_rated_exchanges('31313131-3131-4131-8131-313131313131', 'aaaaaaaa-0000-4000-8000-000000000031') $$,
  $$ values ('chat'::text, 'eeeeeeee-0000-4000-8000-000000000001'::uuid, 0,
             '[{"role": "user", "content": "I am [name] ([email], [phone]). Why the north?"},
               {"role": "assistant", "content": "Because [name], the ice is honest."}]'::jsonb) $$,
  'the owner gets only the consenting reader''s up-rated exchange with the public model, anonymised');
select is_empty(
  $$ select * from private.take_consented_rated_exchanges('31313131-3131-4131-8131-313131313131', 'aaaaaaaa-0000-4000-8000-000000000031') $$,
  'each exchange once');
select is_empty(
  $$ select 1 from public.training_examples
     where model_id = 'aaaaaaaa-0000-4000-8000-000000000031'
       and (messages::text like '%Ada%' or messages::text like '%32323232%' or messages::text like '%lovelace%') $$,
  'the stored example names neither the reader nor their id');
select is_empty(
  $$ select 1 from public.training_examples where chat_id in ('eeeeeeee-0000-4000-8000-000000000002', 'eeeeeeee-0000-4000-8000-000000000003', 'eeeeeeee-0000-4000-8000-000000000004') $$,
  'never a down-rated exchange, one of a reader who did not consent, or one with a private model');

-- Consent withdrawn -------------------------------------------------------------------------------

select pg_temp.clear_authentication();
delete from public.training_examples where chat_id = 'eeeeeeee-0000-4000-8000-000000000001';
select pg_temp.authenticate_as('32323232-3232-4232-8232-323232323232');
select results_eq(
  $$ update public.chat_sharing_consents set share_rated_chats = false returning share_rated_chats $$,
  $$ values (false) $$,
  'the reader withdraws their consent');
select pg_temp.clear_authentication();
select is_empty(
  $$ select * from private.take_consented_rated_exchanges('31313131-3131-4131-8131-313131313131', 'aaaaaaaa-0000-4000-8000-000000000031') $$,
  'and the owner takes nothing more');

-- Anonymous -------------------------------------------------------------------------------------------

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$ select 1 from public.chat_sharing_consents $$,
  '42501', 'permission denied for table chat_sharing_consents',
  'anon cannot read consents');
select throws_ok(
  $$ select * from private.take_consented_rated_exchanges('31313131-3131-4131-8131-313131313131', 'aaaaaaaa-0000-4000-8000-000000000031') $$,
  '42501', null,
  'anon cannot take exchanges');

select * from finish();
rollback;
