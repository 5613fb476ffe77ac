-- Cast batches: the user who asked for a cast reads it and adds its members (naming only their
-- own models); nobody else reads or writes it, and nobody rewrites or removes a batch.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(16);

\ir helpers/identities.psql

-- Users: owner 4141..., other 4242.... Models: aaaa...41 the owner's, aaaa...42 the other's (public).
-- Batch bbbb...41 the owner's.
insert into auth.users (id, email) values
  ('41414141-4141-4141-8141-414141414141', 'cast-owner@storyvoice.test'),
  ('42424242-4242-4242-8242-424242424242', 'cast-other@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000041', 'Cast owner''s', 'character', 'Walton', 'cast-test-book', false, '41414141-4141-4141-8141-414141414141'),
  ('aaaaaaaa-0000-4000-8000-000000000042', 'Cast other''s', 'character', 'Justine', 'cast-test-book', true, '42424242-4242-4242-8242-424242424242');

select policies_are('public', 'cast_batches',
  array['Users can read their own cast batches', 'Users can start their own cast batches'],
  'batches have a read and a start policy, nothing more');
select policies_are('public', 'cast_batch_members',
  array['Users can read the members of their cast batches', 'Users can add members to their own cast batches'],
  'members have a read and an add policy, nothing more');

-- The owner -------------------------------------------------------------------------------------------

select pg_temp.authenticate_as('41414141-4141-4141-8141-414141414141');

select lives_ok(
  $$ insert into public.cast_batches (id, book_id, book_info, quick_tune) values ('bbbbbbbb-0000-4000-8000-000000000041', 'cast-test-book', '{"title": "Frankenstein"}', true) $$,
  'the owner starts a batch');
select throws_ok(
  $$ insert into public.cast_batches (book_id, book_info, quick_tune, created_by) values ('cast-test-book', '{}', true, '42424242-4242-4242-8242-424242424242') $$,
  '42501', 'permission denied for table cast_batches',
  'but never in another user''s name');
select lives_ok(
  $$ insert into public.cast_batch_members (batch_id, position, type, name, outcome, model_id) values
       ('bbbbbbbb-0000-4000-8000-000000000041', 0, 'character', 'Walton', 'created', 'aaaaaaaa-0000-4000-8000-000000000041') $$,
  'adds a member with their own model');
select lives_ok(
  $$ insert into public.cast_batch_members (batch_id, position, type, name, outcome, error) values
       ('bbbbbbbb-0000-4000-8000-000000000041', 1, 'character', 'Elizabeth', 'refused', '{"status": 429, "code": "too_many_requests"}') $$,
  'and a refused member without a model');
select throws_ok(
  $$ insert into public.cast_batch_members (batch_id, position, type, name, outcome, model_id) values
       ('bbbbbbbb-0000-4000-8000-000000000041', 2, 'character', 'Justine', 'exists', 'aaaaaaaa-0000-4000-8000-000000000042') $$,
  '42501', 'new row violates row-level security policy for table "cast_batch_members"',
  'never another user''s model, public or not');
select throws_ok(
  $$ insert into public.cast_batch_members (batch_id, position, type, name, outcome) values
       ('bbbbbbbb-0000-4000-8000-000000000041', 3, 'character', 'Nobody', 'refused') $$,
  '23514', null,
  'a refused member says why');
select results_eq(
  $$ select position::int, outcome from public.cast_batch_members where batch_id = 'bbbbbbbb-0000-4000-8000-000000000041' order by position $$,
  $$ values (0, 'created'::text), (1, 'refused'::text) $$,
  'the owner reads the members');
select throws_ok(
  $$ update public.cast_batch_members set outcome = 'created' where batch_id = 'bbbbbbbb-0000-4000-8000-000000000041' $$,
  '42501', 'permission denied for table cast_batch_members',
  'members are not rewritten');
select throws_ok(
  $$ delete from public.cast_batches where id = 'bbbbbbbb-0000-4000-8000-000000000041' $$,
  '42501', 'permission denied for table cast_batches',
  'nor batches removed');

-- The other user ----------------------------------------------------------------------------------------

select pg_temp.authenticate_as('42424242-4242-4242-8242-424242424242');

select is_empty($$ select 1 from public.cast_batches where id = 'bbbbbbbb-0000-4000-8000-000000000041' $$,
  'another user does not see the batch');
select is_empty($$ select 1 from public.cast_batch_members where batch_id = 'bbbbbbbb-0000-4000-8000-000000000041' $$,
  'nor its members');
select throws_ok(
  $$ insert into public.cast_batch_members (batch_id, position, type, name, outcome, model_id) values
       ('bbbbbbbb-0000-4000-8000-000000000041', 5, 'character', 'Justine', 'created', 'aaaaaaaa-0000-4000-8000-000000000042') $$,
  '42501', 'new row violates row-level security policy for table "cast_batch_members"',
  'nor adds to it');

-- Anonymous -------------------------------------------------------------------------------------------

select pg_temp.authenticate_as_anon();

select throws_ok($$ select 1 from public.cast_batches $$, '42501', 'permission denied for table cast_batches',
  'anon cannot read batches');
select throws_ok($$ select 1 from public.cast_batch_members $$, '42501', 'permission denied for table cast_batch_members',
  'nor members');

select * from finish();
rollback;
