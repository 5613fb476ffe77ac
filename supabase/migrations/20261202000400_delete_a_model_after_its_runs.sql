-- A model's delete locks its training runs before the model row, the order every run write takes.
--
-- A run's write locks the run, then its trigger (show_run_on_model) updates the model. A delete of
-- the model locked the model first, then its cascade reached the runs: with the creation work
-- writing a run at that moment, each waited for the other, and Postgres broke the deadlock after a
-- second by failing one of them (measured: 1 delete in 80 during creation work failed with 40P01).
-- Taking the runs' locks first, the delete waits for the run's write to finish, then proceeds.
--
-- Readers may not lock runs (they only read them), so the locks are taken with the caller's rights
-- (the service), and only on the runs of a model the claims' user owns; the delete itself then runs
-- as that user, and RLS's delete policy decides. Invoker rights and service-only, as
-- store_chat_exchange. Answers whether a row was deleted.
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
