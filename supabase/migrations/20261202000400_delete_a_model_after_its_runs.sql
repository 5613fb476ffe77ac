-- A model's delete locks its training runs before the model row, the order every run write takes
-- (run, then the model through show_run_on_model), so a delete never deadlocks with creation work.

-- Locks the runs with the service's rights, only for a model the claims' user owns; the delete then
-- runs as that user under RLS. Service only. Answers whether a row was deleted.
create or replace function private.delete_own_model(p_claims jsonb, p_model_id uuid)
returns boolean
language plpgsql
security invoker
set search_path = ''
as $$
declare
  deleted boolean;
begin
  perform 1
  from public.training_runs r
  join private.fine_tuned_models m on m.id = r.model_id
  where r.model_id = p_model_id and m.created_by::text = p_claims ->> 'sub'
  order by r.id
  for update of r;

  perform pg_catalog.set_config('request.jwt.claims', p_claims::text, true);
  perform pg_catalog.set_config('role', 'authenticated', true);
  delete from public.fine_tuned_models where id = p_model_id;
  deleted := found;
  perform pg_catalog.set_config('role', 'none', true);
  return deleted;
end;
$$;

revoke all on function private.delete_own_model(jsonb, uuid) from public, anon, authenticated;
grant execute on function private.delete_own_model(jsonb, uuid) to service_role;
