-- One attempt to train a model at a provider: the first training, a retrain, a move to another
-- provider. A model has many runs; the training sync claims runs, not models, so the leases,
-- attempts and provider bookkeeping live here and never on the row clients browse.
create table public.training_runs (
  id uuid primary key default gen_random_uuid(),
  model_id uuid not null references public.fine_tuned_models (id) on delete cascade,
  provider text not null check (char_length(provider) between 1 and 50),
  -- Resolved when preparation starts (null: not yet; the model's base_model or the default).
  base_model text check (char_length(base_model) <= 100),
  -- unavailable: fine-tuning was not available or refused; the model answers in persona mode.
  status text not null default 'pending'
    check (status in ('pending', 'training', 'completed', 'failed', 'cancelled', 'unavailable')),
  provider_job_id text check (char_length(provider_job_id) <= 200),
  provider_file_id text check (char_length(provider_file_id) <= 200),
  -- The provider's name for the trained model, once the job succeeded.
  fine_tuned_model text check (char_length(fine_tuned_model) <= 300),
  -- What was trained: examples, topics, epochs, baseModel, quick (structured; the model row shows a sentence).
  summary jsonb check (summary is null or jsonb_typeof(summary) = 'object'),
  -- The provider's job as last seen: providerStatus, step, totalSteps, percent, estimatedFinish, ...
  progress jsonb check (progress is null or jsonb_typeof(progress) = 'object'),
  trained_tokens integer check (trained_tokens >= 0),
  estimated_cost_usd numeric(10, 4) check (estimated_cost_usd >= 0),
  error text check (char_length(error) <= 2000),
  -- Bookkeeping of the creation worker and the training sync (the lease is also a fencing token).
  attempts integer not null default 0 check (attempts >= 0),
  next_check_at timestamptz not null default now(),
  lease_expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz
);

comment on table public.training_runs is
  'Training runs of a model at a provider (readable by the model''s owner, written by the service only).';

-- The training sync's due runs; small because finished runs leave it.
create index training_runs_due_idx
  on public.training_runs (next_check_at) where status in ('pending', 'training');
-- A model's runs, newest first (its current run is the first).
create index training_runs_model_idx on public.training_runs (model_id, created_at desc);
-- Webhooks and job lookups arrive with the provider's job id.
create unique index training_runs_provider_job_idx
  on public.training_runs (provider, provider_job_id) where provider_job_id is not null;

-- updated_at moves only when a row is edited: the trigger's arguments name the columns that are
-- bookkeeping (counters, polls, generated values), whose changes are not edits. One function for
-- every table that keeps an updated_at.
create or replace function private.set_updated_at_on_edit()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  not_edits constant text[] := array['updated_at'] || tg_argv;
begin
  if (to_jsonb(old) - not_edits) is distinct from (to_jsonb(new) - not_edits) then
    new.updated_at := now();
  end if;
  return new;
end;
$$;

revoke all on function private.set_updated_at_on_edit() from public, anon, authenticated;

-- Polls (next check, lease, attempts, progress) are not edits of the run.
create trigger set_updated_at
  before update on public.training_runs
  for each row execute function private.set_updated_at_on_edit('next_check_at', 'lease_expires_at', 'attempts', 'progress');

alter table public.training_runs enable row level security;

create policy "Owners can read the training runs of their models"
  on public.training_runs for select
  to authenticated
  using (exists (
    select 1 from public.fine_tuned_models m
    where m.id = training_runs.model_id and m.created_by = (select auth.uid())
  ));

-- Runs are started and advanced by the service only.
revoke all on table public.training_runs from anon, authenticated;
grant select on table public.training_runs to authenticated;
grant all on table public.training_runs to service_role;

-- Every model so far had exactly one training: it becomes the model's first run.
insert into public.training_runs (
  model_id, provider, base_model, status, provider_job_id, provider_file_id, fine_tuned_model,
  summary, progress, trained_tokens, estimated_cost_usd, error, attempts, next_check_at,
  lease_expires_at, created_at, started_at, completed_at
)
select m.id, m.provider, m.training_data_summary ->> 'baseModel',
       case m.status when 'ready' then 'unavailable' else m.status end,
       m.openai_job_id, m.training_file_id, m.openai_model_id, m.training_data_summary,
       m.training_progress, m.training_tokens, m.estimated_cost_usd,
       case when m.status in ('failed', 'ready') then m.error end,
       m.check_attempts, m.next_check_at, m.lease_expires_at, m.created_at,
       m.training_started_at, m.training_completed_at
from public.fine_tuned_models m;
