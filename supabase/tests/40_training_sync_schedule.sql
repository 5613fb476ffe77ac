-- The training sync is driven from the database: pg_cron calls private.invoke_edge_function every
-- minute, and a second job keeps cron's run history bounded. The cron checks are skipped where
-- pg_cron is not installed, so this file passes on any database the migrations apply to.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(10);

\ir helpers/identities.psql

-- The schedule (cron.job is named only inside the strings, which are parsed only when cron exists).

select case when to_regnamespace('cron') is null then skip('pg_cron is not installed', 1) else
  results_eq(
    $$
      select schedule, command, database = current_database() as here, active
      from cron.job where jobname = 'training-sync'
    $$,
    $$
      values ('* * * * *'::text, 'select private.invoke_edge_function(''training-sync'', ''{}''::jsonb, 60000)'::text, true, true)
    $$,
    'training-sync runs every minute in this database and calls the edge function'
  )
end;

select case when to_regnamespace('cron') is null then skip('pg_cron is not installed', 1) else
  results_eq(
    $$
      select schedule, command, database = current_database() as here, active
      from cron.job where jobname = 'purge-cron-history'
    $$,
    $$
      values ('17 * * * *'::text,
              'delete from cron.job_run_details where end_time < now() - interval ''1 day'''::text,
              true, true)
    $$,
    'purge-cron-history runs hourly in this database and keeps one day of run details'
  )
end;

-- Who may call it: the scheduler (postgres), not the API roles.

select function_privs_are(
  'private', 'invoke_edge_function', array['text', 'jsonb', 'integer'], 'anon', array[]::name[],
  'anon cannot execute private.invoke_edge_function'
);

select function_privs_are(
  'private', 'invoke_edge_function', array['text', 'jsonb', 'integer'], 'authenticated', array[]::name[],
  'authenticated cannot execute private.invoke_edge_function'
);

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select throws_ok(
  $$ select private.invoke_edge_function('training-sync') $$,
  '42501', 'permission denied for function invoke_edge_function',
  'a signed-in client cannot reach private.invoke_edge_function'
);

select pg_temp.clear_authentication();

-- What it does. Without pg_net and Vault (the local stack) it announces the call with NOTIFY,
-- which is delivered at commit, so only its success can be seen from inside this transaction.

select case when to_regnamespace('net') is not null and to_regnamespace('vault') is not null
  then skip('pg_net and Vault are installed: the call would go out over HTTP', 1) else
  lives_ok(
    $$ select private.invoke_edge_function('training-sync', '{"reason": "test"}'::jsonb) $$,
    'without pg_net the call is announced on the edge_function_invocations channel'
  )
end;

-- The name becomes part of a URL path: anything but lowercase letters, digits and dashes is refused
-- before anything is sent.

select throws_ok(
  $$ select private.invoke_edge_function('../../auth/v1/admin/users') $$,
  '22023', 'invalid edge function name: ../../auth/v1/admin/users',
  'a name that walks out of /functions/v1 is refused'
);

select throws_ok(
  $$ select private.invoke_edge_function('Training-Sync') $$,
  '22023', 'invalid edge function name: Training-Sync',
  'a name with capitals is refused'
);

select throws_ok(
  $$ select private.invoke_edge_function('') $$,
  '22023', 'invalid edge function name: ',
  'an empty name is refused'
);

-- `null !~ pattern` is null, so the function tests for null explicitly.
select throws_ok(
  $$ select private.invoke_edge_function(null) $$,
  '22023', 'invalid edge function name: <NULL>',
  'a null name is refused'
);

select * from finish();
rollback;
