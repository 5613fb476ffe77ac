-- private holds what the Data API must never reach: trigger functions that run with definer rights,
-- the database's one way to call an Edge Function, and the service's own tables. The one thing a
-- client reaches in it is private.fine_tuned_models, and only through the public view of models. Definer code is only safe with a fixed,
-- empty search_path (every name qualified), and only where definer rights are the point.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(22);

\ir helpers/identities.psql

select schema_privs_are('private', 'anon', array[]::name[], 'anon has no privilege on schema private');
-- The security_invoker view reaches the table with the caller's rights, which needs the schema.
select schema_privs_are(
  'private', 'authenticated', array['USAGE']::name[], 'authenticated has usage on schema private, nothing more'
);

select is_empty(
  $$
    select c.relname, r.rolname
    from pg_catalog.pg_class c
    cross join (values ('anon'), ('authenticated')) as r (rolname)
    where c.relnamespace = 'private'::regnamespace
      and c.relkind in ('r', 'p', 'v', 'm', 'S')
      -- The models view reads these with the caller's rights: the table's non-owner columns, the
      -- unfolded chat tallies and the owner-only mirror (each owner's rows only).
      and c.oid not in ('private.fine_tuned_models'::regclass, 'private.model_chat_tallies'::regclass,
                        'private.model_owner_fields'::regclass)
      and (pg_catalog.has_table_privilege(r.rolname, c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
           or pg_catalog.has_any_column_privilege(r.rolname, c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))
  $$,
  'no client role holds a privilege on any private relation but fine_tuned_models, model_chat_tallies and model_owner_fields'
);

select table_privs_are(
  'private', 'fine_tuned_models', 'anon', array[]::name[],
  'anon holds no privilege on private.fine_tuned_models'
);

select is_empty(
  $$
    select p.oid::regprocedure, r.rolname
    from pg_catalog.pg_proc p
    cross join (values ('anon'), ('authenticated')) as r (rolname)
    where p.pronamespace = 'private'::regnamespace
      and pg_catalog.has_function_privilege(r.rolname, p.oid, 'EXECUTE')
  $$,
  'neither anon nor authenticated may execute any function in private'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select throws_ok(
  $$ select private.describe_training_data('{"examples": 1}'::jsonb, 100) $$,
  '42501', 'permission denied for function describe_training_data',
  'a signed-in client cannot call a private function'
);

select throws_ok(
  $$ select count(*) from private.daily_chat_usage $$,
  '42501', 'permission denied for table daily_chat_usage',
  'a signed-in client cannot read the service''s private tables'
);

select throws_ok(
  $$ select count(*) from private.training_access_refusals $$,
  '42501', 'permission denied for table training_access_refusals',
  'a signed-in client cannot read which provider refused the deployment''s account'
);

select throws_ok(
  $$ select count(*) from private.provider_leftovers $$,
  '42501', 'permission denied for table provider_leftovers',
  'a signed-in client cannot read the fine-tunes left at providers'
);

select pg_temp.authenticate_as_anon();

select throws_ok(
  $$ select count(*) from private.fine_tuned_models $$,
  '42501', 'permission denied for schema private',
  'anon cannot name anything in private'
);

select pg_temp.clear_authentication();

-- Definer rights are needed exactly where a user's write must touch rows they cannot see or change:
-- numbering a conversation across all its rows, counting chats on someone else's model, and
-- keeping a model and its service-written training runs in step whoever wrote either.
select is_definer(
  'private', 'assign_message_order', array[]::name[],
  'private.assign_message_order runs with definer rights'
);

select is_definer(
  'private', 'assign_group_message_order', array[]::name[],
  'private.assign_group_message_order runs with definer rights (a group conversation numbered across all its rows)'
);

select is_definer(
  'private', 'bump_model_chat_stats', array[]::name[],
  'private.bump_model_chat_stats runs with definer rights'
);

select is_definer(
  'private', 'show_run_on_model', array[]::name[],
  'private.show_run_on_model runs with definer rights'
);

select is_definer(
  'private', 'start_first_training_run', array[]::name[],
  'private.start_first_training_run runs with definer rights'
);

select is_definer(
  'private', 'record_training_spend', array[]::name[],
  'private.record_training_spend runs with definer rights (the ledger is written whoever completes the run)'
);

select is_definer(
  'private', 'mirror_model_owner_fields', array[]::name[],
  'private.mirror_model_owner_fields runs with definer rights (the owner-only mirror follows whoever writes a model)'
);

select is_definer(
  'private', 'plan_of', array['uuid']::name[],
  'private.plan_of runs with definer rights (it reads app_metadata in auth.users)'
);

select set_eq(
  $$
    select p.proname::text
    from pg_catalog.pg_proc p
    where p.pronamespace = 'private'::regnamespace and p.prosecdef
  $$,
  array['assign_message_order', 'assign_group_message_order', 'bump_model_chat_stats', 'show_run_on_model',
        'start_first_training_run', 'record_training_spend', 'plan_of', 'mirror_model_owner_fields'],
  'no other function in private runs with definer rights'
);

-- Supabase's advisor flags definer functions in an exposed schema: they belong in private.
select is_empty(
  $$
    select p.oid::regprocedure
    from pg_catalog.pg_proc p
    where p.pronamespace = 'public'::regnamespace and p.prosecdef
  $$,
  'public has no definer functions'
);

-- `set search_path = ''` is stored as search_path="".
select is_empty(
  $$
    select p.oid::regprocedure
    from pg_catalog.pg_proc p
    where p.pronamespace = 'private'::regnamespace
      and not coalesce('search_path=""' = any (p.proconfig), false)
  $$,
  'every function in private pins search_path to the empty string'
);

-- Beyond the schema, each function's own grants must keep the API roles out. Only a plain trigger
-- function may keep the default PUBLIC execute: it cannot be called directly and gains no rights.
select is_empty(
  $$
    select p.oid::regprocedure, r.rolname
    from pg_catalog.pg_proc p
    cross join (values ('anon'), ('authenticated'), ('public')) as r (rolname)
    where p.pronamespace = 'private'::regnamespace
      and (p.prorettype <> 'trigger'::regtype or p.prosecdef)
      and pg_catalog.has_function_privilege(r.rolname, p.oid, 'EXECUTE')
  $$,
  'no definer or callable function in private is executable by anon, authenticated or PUBLIC'
);

select * from finish();
rollback;
