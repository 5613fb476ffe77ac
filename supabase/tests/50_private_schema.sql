-- private holds what the Data API must never reach: trigger functions that run with definer rights
-- and the database's one way to call an Edge Function. Definer code is only safe with a fixed,
-- empty search_path (every name qualified), and only where definer rights are the point.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(9);

\ir helpers/identities.psql

select schema_privs_are('private', 'anon', array[]::name[], 'anon has no privilege on schema private');
select schema_privs_are(
  'private', 'authenticated', array[]::name[], 'authenticated has no privilege on schema private'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select throws_ok(
  $$ select private.set_model_updated_at() $$,
  '42501', 'permission denied for schema private',
  'a signed-in client cannot name anything in private'
);

select pg_temp.clear_authentication();

-- Definer rights are needed exactly where a user's write must touch rows they cannot see or change:
-- numbering a conversation across all its rows, and counting chats on someone else's model.
select is_definer(
  'private', 'assign_message_order', array[]::name[],
  'private.assign_message_order runs with definer rights'
);

select is_definer(
  'private', 'bump_model_chat_stats', array[]::name[],
  'private.bump_model_chat_stats runs with definer rights'
);

select set_eq(
  $$
    select p.proname::text
    from pg_catalog.pg_proc p
    where p.pronamespace = 'private'::regnamespace and p.prosecdef
  $$,
  array['assign_message_order', 'bump_model_chat_stats'],
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
