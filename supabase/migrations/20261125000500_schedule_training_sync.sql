-- The training sync runs every minute as an Edge Function called from the database: pg_cron and
-- pg_net on Supabase, a NOTIFY the local stack relays where pg_net is missing. Both optional.

do $$
begin
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron')
     and current_setting('shared_preload_libraries', true) like '%pg_cron%' then
    create extension if not exists pg_cron with schema pg_catalog;
  end if;
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net with schema extensions;
  end if;
end
$$;

-- The single way the database calls a function: one place for the URL, the key and the relay.
create or replace function private.invoke_edge_function(
  function_name text,
  body jsonb default '{}'::jsonb,
  timeout_ms integer default 10000
)
returns void
language plpgsql
set search_path = ''
as $$
declare
  project_url text;
  service_key text;
begin
  if function_name is null or function_name !~ '^[a-z0-9-]+$' then
    raise exception 'invalid edge function name: %', function_name using errcode = '22023';
  end if;

  if to_regnamespace('net') is not null and to_regnamespace('vault') is not null then
    select s.decrypted_secret into project_url from vault.decrypted_secrets s where s.name = 'project_url';
    select s.decrypted_secret into service_key from vault.decrypted_secrets s where s.name = 'service_role_key';
    if project_url is null or service_key is null then
      raise exception 'Vault secrets project_url and service_role_key are required to call %', function_name
        using hint = 'select vault.create_secret(''https://<ref>.supabase.co'', ''project_url''); select vault.create_secret(''<service key>'', ''service_role_key'');';
    end if;
    perform net.http_post(
      url := rtrim(project_url, '/') || '/functions/v1/' || function_name,
      headers := jsonb_build_object(
        'Content-Type', 'application/json',
        'Authorization', 'Bearer ' || service_key,
        'apikey', service_key
      ),
      body := body,
      timeout_milliseconds := timeout_ms
    );
  else
    perform pg_catalog.pg_notify(
      'edge_function_invocations',
      jsonb_build_object('function', function_name, 'body', body)::text
    );
  end if;
end;
$$;

revoke all on function private.invoke_edge_function(text, jsonb, integer) from public, anon, authenticated;

do $$
begin
  if to_regnamespace('cron') is not null then
    perform cron.schedule(
      'training-sync',
      '* * * * *',
      -- A run may take up to a minute (batches, provider calls): pg_net must not give up first.
      $cmd$select private.invoke_edge_function('training-sync', '{}'::jsonb, 60000)$cmd$
    );
    -- pg_cron keeps a row per run forever unless told otherwise: keep one day.
    perform cron.schedule(
      'purge-cron-history',
      '17 * * * *',
      $cmd$delete from cron.job_run_details where end_time < now() - interval '1 day'$cmd$
    );
  end if;
end
$$;
