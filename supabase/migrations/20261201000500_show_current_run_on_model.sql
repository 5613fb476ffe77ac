-- A model row is the view of its current training run: the run is written, the model follows,
-- and every model has a run from the moment it exists.

-- The model's seed columns show its current (newest) run. Definer rights: runs are written by the
-- service, and the mirror must reach the model whoever wrote the run.
create or replace function private.show_run_on_model()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update private.fine_tuned_models m
  set status = case new.status when 'unavailable' then 'ready' when 'cancelled' then 'failed' else new.status end,
      provider = new.provider,
      openai_job_id = new.provider_job_id,
      training_file_id = new.provider_file_id,
      openai_model_id = new.fine_tuned_model,
      training_data_summary = coalesce(private.describe_training_data(new.summary, new.trained_tokens),
                                       m.training_data_summary),
      training_tokens = new.trained_tokens,
      estimated_cost_usd = new.estimated_cost_usd,
      error = coalesce(new.error, case when m.fine_tuned_model_retired_at is not null then m.error end),
      training_started_at = new.started_at,
      training_completed_at = new.completed_at
  where m.id = new.model_id
    and not exists (
      select 1 from public.training_runs r
      where r.model_id = new.model_id and r.created_at > new.created_at
    );
  return null;
end;
$$;

revoke all on function private.show_run_on_model() from public, anon, authenticated;

create trigger show_run_on_model
  after insert on public.training_runs
  for each row execute function private.show_run_on_model();

-- Polls that only move the bookkeeping leave the model alone.
create trigger show_run_changes_on_model
  after update on public.training_runs
  for each row
  when ((old.status, old.provider, old.provider_job_id, old.provider_file_id, old.fine_tuned_model,
         old.summary, old.trained_tokens, old.estimated_cost_usd, old.error, old.started_at, old.completed_at)
        is distinct from
        (new.status, new.provider, new.provider_job_id, new.provider_file_id, new.fine_tuned_model,
         new.summary, new.trained_tokens, new.estimated_cost_usd, new.error, new.started_at, new.completed_at))
  execute function private.show_run_on_model();

-- Every model gets its first run with its row, whoever inserted it (the functions or the Data
-- API), so the sync always finds the work and no model is pending without a run.
create or replace function private.start_first_training_run()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- A row inserted with lifecycle values (the service, an admin, the seed) keeps them.
  insert into public.training_runs (
    model_id, provider, base_model, status, provider_job_id, provider_file_id, fine_tuned_model,
    trained_tokens, estimated_cost_usd, error, started_at, completed_at
  ) values (
    new.id, new.provider, new.base_model,
    case new.status when 'ready' then 'unavailable' else new.status end,
    new.openai_job_id, new.training_file_id, new.openai_model_id, new.training_tokens,
    new.estimated_cost_usd, case when new.status in ('failed', 'ready') then new.error end,
    new.training_started_at, new.training_completed_at
  );
  return null;
end;
$$;

revoke all on function private.start_first_training_run() from public, anon, authenticated;

create trigger start_first_training_run
  after insert on private.fine_tuned_models
  for each row execute function private.start_first_training_run();
