-- Who may read, create, change and delete personas: the owner, another signed-in user, and an
-- anonymous caller, each through the same roles and claims PostgREST uses. Clients act on the
-- public.fine_tuned_models view; its security_invoker rights apply the policies of the table
-- behind it (private.fine_tuned_models) to them, and blank the owner's provider fields for others.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(30);

\ir helpers/identities.psql

-- Fixtures. Users: owner 1111..., other 2222.... Models: aaaa... belong to owner, bbbb... to
-- other; ...01 is private, ...02 is public.
insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

-- The owner's public model has finished training, with the provider's ids, tokens and cost.
insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by,
  status, openai_job_id, openai_model_id, training_file_id, training_tokens, estimated_cost_usd) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Owner private', 'author', 'Mary Shelley', 'rls-test-book', false, '11111111-1111-4111-8111-111111111111',
   'pending', null, null, null, null, null),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'Owner public', 'character', 'Victor', 'rls-test-book', true, '11111111-1111-4111-8111-111111111111',
   'completed', 'ftjob-rls', 'ft:gpt-4.1-mini:rls', 'file-rls', 19600, 1.2500),
  ('bbbbbbbb-0000-4000-8000-000000000001', 'Other private', 'author', 'Mary Shelley', 'rls-test-book', false, '22222222-2222-4222-8222-222222222222',
   'pending', null, null, null, null, null),
  ('bbbbbbbb-0000-4000-8000-000000000002', 'Other public', 'character', 'The Creature', 'rls-test-book', true, '22222222-2222-4222-8222-222222222222',
   'pending', null, null, null, null, null);

-- select ------------------------------------------------------------------------------------------

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$ select name from public.fine_tuned_models where book_id = 'rls-test-book' order by name $$,
  $$ values ('Other public'::text), ('Owner private'), ('Owner public') $$,
  'the owner reads their own models, private and public, and the other user''s public one'
);

select is_empty(
  $$ select id from public.fine_tuned_models where id = 'bbbbbbbb-0000-4000-8000-000000000001' $$,
  'the other user''s private model is invisible to the owner, not an error'
);

select results_eq(
  $$
    select openai_job_id, openai_model_id, training_file_id, training_tokens, estimated_cost_usd, chat_mode
    from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002'
  $$,
  $$ values ('ftjob-rls'::text, 'ft:gpt-4.1-mini:rls'::text, 'file-rls'::text, 19600, 1.2500::numeric, 'fine-tuned'::text) $$,
  'the owner reads their model''s provider ids, tokens and cost, and its computed chat_mode'
);

-- The Data API's own query: `select *` on the view, as each role.
select results_eq(
  $$ select count(*)::integer from (select * from public.fine_tuned_models where book_id = 'rls-test-book') as rows $$,
  $$ values (3) $$,
  'select * on the view works for the owner (own models and the other user''s public one)'
);

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select results_eq(
  $$ select name from public.fine_tuned_models where book_id = 'rls-test-book' order by name $$,
  $$ values ('Other private'::text), ('Other public'), ('Owner public') $$,
  'the other user reads their own models and the owner''s public one'
);

select results_eq(
  $$
    select name, status, chat_mode, openai_job_id, openai_model_id, training_file_id, training_tokens,
           estimated_cost_usd, error
    from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002'
  $$,
  $$ values ('Owner public'::text, 'completed'::text, 'fine-tuned'::text, null::text, null::text, null::text,
             null::integer, null::numeric, null::text) $$,
  'the other user sees the owner''s public model with its provider ids, tokens, cost and error blank'
);

select is_empty(
  $$ select * from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  'the other user cannot see the owner''s private model, even with select *'
);

select results_eq(
  $$ select count(*)::integer from (select * from public.fine_tuned_models where book_id = 'rls-test-book') as rows $$,
  $$ values (3) $$,
  'select * on the view works for the other user'
);

-- The table's own RLS decides rows for a client that names it (the Data API exposes only public).
select results_eq(
  $$ select name from private.fine_tuned_models where book_id = 'rls-test-book' order by name $$,
  $$ values ('Other private'::text), ('Other public'), ('Owner public') $$,
  'on private.fine_tuned_models the other user sees the same rows as through the view'
);

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$ select * from public.fine_tuned_models $$,
  '42501', 'permission denied for view fine_tuned_models',
  'anon cannot read models through the view (select *)'
);

select throws_ok(
  $$ select id from private.fine_tuned_models $$,
  '42501', 'permission denied for schema private',
  'anon cannot reach the table behind the view'
);

-- insert ------------------------------------------------------------------------------------------
-- Models are created on the service path only (the create functions reserve the quotas first), so
-- no client inserts one, through the view or the table, whatever the user or the claims.

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select throws_ok(
  $$
    insert into public.fine_tuned_models (name, type, entity_name, book_id)
    values ('Owner new', 'author', 'Percy Shelley', 'rls-test-book')
  $$,
  '42501', 'permission denied for view fine_tuned_models',
  'a signed-in user cannot create a model through the view (the quota is the service''s to reserve)'
);

select throws_ok(
  $$
    insert into private.fine_tuned_models (name, type, entity_name, book_id)
    values ('Owner new', 'author', 'Percy Shelley', 'rls-test-book')
  $$,
  '42501', 'permission denied for table fine_tuned_models',
  'nor through the table behind it'
);

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select throws_ok(
  $$
    insert into public.fine_tuned_models (name, type, entity_name, book_id)
    select 'Burst ' || n, 'author', 'Author ' || n, 'rls-test-book' from generate_series(1, 50) n
  $$,
  '42501', 'permission denied for view fine_tuned_models',
  'another user cannot create fifty models in one request'
);

-- Defence in depth: were insert ever granted again, no insert policy exists, so RLS refuses every
-- row. The grants live only inside this rolled-back transaction.
select pg_temp.clear_authentication();
grant insert (name, type, entity_name, book_id) on public.fine_tuned_models to authenticated;
grant insert (name, type, entity_name, book_id) on private.fine_tuned_models to authenticated;
select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select throws_ok(
  $$
    insert into public.fine_tuned_models (name, type, entity_name, book_id)
    values ('Granted by mistake', 'author', 'Lord Byron', 'rls-test-book')
  $$,
  '42501', 'new row violates row-level security policy for table "fine_tuned_models"',
  'with insert granted by mistake, RLS (no insert policy) still refuses the owner''s own row'
);

select pg_temp.clear_authentication();
revoke insert (name, type, entity_name, book_id) on public.fine_tuned_models from authenticated;
revoke insert (name, type, entity_name, book_id) on private.fine_tuned_models from authenticated;

-- A token with the authenticated role but no subject has no user to own the row.
create function pg_temp.authenticate_without_user() returns void
language sql as $$
  select set_config('role', 'authenticated', true),
         set_config('request.jwt.claims', json_build_object('role', 'authenticated')::text, true);
$$;
select pg_temp.authenticate_without_user();

select throws_ok(
  $$
    insert into public.fine_tuned_models (name, type, entity_name, book_id)
    values ('Nobody''s', 'author', 'John Polidori', 'rls-test-book')
  $$,
  '42501', 'permission denied for view fine_tuned_models',
  'a signed-in role without a user id cannot create a model'
);

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$
    insert into public.fine_tuned_models (name, type, entity_name, book_id)
    values ('Anonymous', 'author', 'John Polidori', 'rls-test-book')
  $$,
  '42501', 'permission denied for view fine_tuned_models',
  'anon cannot create models'
);

select throws_ok(
  $$
    insert into private.fine_tuned_models (name, type, entity_name, book_id)
    values ('Anonymous', 'author', 'John Polidori', 'rls-test-book')
  $$,
  '42501', 'permission denied for schema private',
  'anon cannot reach the table to create one either'
);

-- update ------------------------------------------------------------------------------------------

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select is_empty(
  $$ update public.fine_tuned_models set name = 'Hijacked' where id = 'aaaaaaaa-0000-4000-8000-000000000002' returning id $$,
  'the other user cannot update the owner''s public model (0 rows)'
);

select is_empty(
  $$ update public.fine_tuned_models set is_public = true where id = 'aaaaaaaa-0000-4000-8000-000000000001' returning id $$,
  'the other user cannot update the owner''s private model (0 rows)'
);

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$ update public.fine_tuned_models set name = 'Hijacked' $$,
  '42501', 'permission denied for view fine_tuned_models',
  'anon cannot update models'
);

select pg_temp.clear_authentication();

select results_eq(
  $$ select name, is_public from public.fine_tuned_models where id::text like 'aaaaaaaa-%' order by id $$,
  $$ values ('Owner private'::text, false), ('Owner public', true) $$,
  'the refused updates left the owner''s models unchanged'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$
    update public.fine_tuned_models
    set name = 'Owner published', description = 'Now for everyone', is_public = true
    where id = 'aaaaaaaa-0000-4000-8000-000000000001'
    returning name, description, is_public
  $$,
  $$ values ('Owner published'::text, 'Now for everyone'::text, true) $$,
  'the owner renames and publishes their model'
);

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select results_eq(
  $$ select name from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  $$ values ('Owner published'::text) $$,
  'once published, the model is readable by the other user'
);

-- Defence in depth: were created_by ever updatable, the update policy's check must still stop an
-- owner from handing a model to someone else.
select pg_temp.clear_authentication();
grant update (created_by) on public.fine_tuned_models to authenticated;
grant update (created_by) on private.fine_tuned_models to authenticated;
select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select throws_ok(
  $$
    update public.fine_tuned_models set created_by = '22222222-2222-4222-8222-222222222222'
    where id = 'aaaaaaaa-0000-4000-8000-000000000002'
  $$,
  '42501', 'new row violates row-level security policy for table "fine_tuned_models"',
  'the update policy refuses moving a model to another owner'
);

select pg_temp.clear_authentication();
revoke update (created_by) on public.fine_tuned_models from authenticated;
revoke update (created_by) on private.fine_tuned_models from authenticated;

-- delete ------------------------------------------------------------------------------------------

select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select is_empty(
  $$ delete from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' returning id $$,
  'the other user cannot delete the owner''s public model (0 rows)'
);

select is_empty(
  $$ delete from public.fine_tuned_models where created_by = '11111111-1111-4111-8111-111111111111' returning id $$,
  'the other user cannot delete any of the owner''s models (0 rows)'
);

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$ delete from public.fine_tuned_models $$,
  '42501', 'permission denied for view fine_tuned_models',
  'anon cannot delete models'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select results_eq(
  $$ delete from public.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000002' returning name $$,
  $$ values ('Owner public'::text) $$,
  'the owner deletes their model'
);

select pg_temp.clear_authentication();

select results_eq(
  $$ select name from public.fine_tuned_models where book_id = 'rls-test-book' order by name $$,
  $$ values ('Other private'::text), ('Other public'), ('Owner published') $$,
  'exactly the owner''s deleted model is gone'
);

select * from finish();
rollback;
