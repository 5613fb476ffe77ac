-- A retrain must not take chat away from a working fine-tune: the model shows its newest run, but
-- openai_model_id keeps the newest completed run's fine-tune until a newer one completes, and
-- chat_mode (now a trigger-kept column) follows openai_model_id alone.

-- chat_mode was generated from the status; Postgres 15 cannot change a generation expression and
-- the view (and the policies that read it) depend on the column, so it becomes a plain column kept
-- by a trigger, under the same name and type. Clients hold no privilege to write it.
alter table private.fine_tuned_models alter column chat_mode drop expression;

-- Which model answers chat: the live (newest completed, unretired) fine-tune, also while a newer
-- run trains; persona mode when there is none.
create or replace function private.set_chat_mode()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.chat_mode := case when new.openai_model_id is not null and new.fine_tuned_model_retired_at is null
                        then 'fine-tuned' else 'persona' end;
  return new;
end;
$$;

revoke all on function private.set_chat_mode() from public, anon, authenticated;

create trigger set_chat_mode
  before insert or update on private.fine_tuned_models
  for each row execute function private.set_chat_mode();

-- The model's seed columns show its newest run, with the live fine-tune kept (see the top of this
-- file). Definer rights: runs are written by the service, and the mirror must reach the model
-- whoever wrote the run.
create or replace function private.show_run_on_model()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  live_fine_tune text;
begin
  -- An older run's changes (a late failure, a cancel) no longer show.
  if exists (
    select 1 from public.training_runs r
    where r.model_id = new.model_id and r.created_at > new.created_at
  ) then
    return null;
  end if;

  select r.fine_tuned_model into live_fine_tune
  from public.training_runs r
  where r.model_id = new.model_id and r.status = 'completed' and r.fine_tuned_model is not null
  order by r.created_at desc
  limit 1;

  update private.fine_tuned_models m
  set status = case
        when new.status in ('failed', 'cancelled', 'unavailable') and live_fine_tune is not null then 'completed'
        when new.status = 'unavailable' then 'ready'
        when new.status = 'cancelled' then 'failed'
        else new.status end,
      provider = new.provider,
      openai_job_id = new.provider_job_id,
      training_file_id = new.provider_file_id,
      openai_model_id = live_fine_tune,
      training_data_summary = coalesce(private.describe_training_data(new.summary, new.trained_tokens),
                                       m.training_data_summary),
      training_tokens = new.trained_tokens,
      estimated_cost_usd = new.estimated_cost_usd,
      -- A retired fine-tune stays retired (and says so) until a new one replaces it.
      error = coalesce(new.error, case when m.fine_tuned_model_retired_at is not null
                                        and live_fine_tune is not distinct from m.openai_model_id
                                       then m.error end),
      fine_tuned_model_retired_at = case when live_fine_tune is not distinct from m.openai_model_id
                                         then m.fine_tuned_model_retired_at end,
      training_started_at = new.started_at,
      training_completed_at = new.completed_at
  where m.id = new.model_id;
  return null;
end;
$$;

revoke all on function private.show_run_on_model() from public, anon, authenticated;

-- Every model as the new rule has it (the trigger sets chat_mode on this no-op write).
update private.fine_tuned_models set openai_model_id = openai_model_id;
