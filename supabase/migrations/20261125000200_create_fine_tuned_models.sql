-- One AI persona (an author or a character of a book) and the lifecycle of its fine-tuning job.
create table public.fine_tuned_models (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  type text not null check (type in ('author', 'character')),
  entity_id text check (char_length(entity_id) <= 200),
  entity_name text not null check (char_length(entity_name) between 1 and 200),
  book_id text not null check (char_length(book_id) between 1 and 200),
  book_info jsonb not null default '{}'::jsonb,
  description text check (char_length(description) <= 4000),
  is_public boolean not null default false,
  quick_tune boolean not null default false,
  base_model text check (char_length(base_model) <= 100), -- null: the deployment's default
  provider text not null default 'openai',
  status text not null default 'pending'
    check (status in ('pending', 'training', 'completed', 'failed', 'ready')),
  openai_job_id text,
  openai_model_id text,
  training_file_id text,
  training_data_summary jsonb,
  style_description text,
  training_tokens integer check (training_tokens >= 0),
  estimated_cost_usd numeric(10, 4),
  error text,
  chat_count integer not null default 0 check (chat_count >= 0),
  last_used_at timestamptz,
  -- Lifecycle bookkeeping for the creation worker and the training sync.
  next_check_at timestamptz not null default now(),
  lease_expires_at timestamptz,
  check_attempts integer not null default 0,
  -- What makes two create requests "the same model" for the idempotency rule.
  entity_key text generated always as (lower(coalesce(entity_id, entity_name))) stored,
  created_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  training_started_at timestamptz,
  training_completed_at timestamptz
);

comment on table public.fine_tuned_models is
  'Author and character personas; status is advanced only by the service (functions, training sync).';

-- Keeps updated_at honest whatever path writes the row. Usage counters (bumped by every chat) and
-- the sync's bookkeeping (every poll) are not edits: updated_at moves only when the model changes.
create or replace function private.set_model_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  not_edits constant text[] := array['chat_count', 'last_used_at', 'updated_at', 'next_check_at',
    'lease_expires_at', 'check_attempts', 'training_progress', 'entity_key'];
begin
  if (to_jsonb(old) - not_edits) is distinct from (to_jsonb(new) - not_edits) then
    new.updated_at := now();
  end if;
  return new;
end;
$$;

revoke all on function private.set_model_updated_at() from public, anon, authenticated;

create trigger set_updated_at
  before update on public.fine_tuned_models
  for each row execute function private.set_model_updated_at();

-- Browse: own models and public ones, newest first, optionally by type and book (keyset pagination).
create index fine_tuned_models_owner_created_idx
  on public.fine_tuned_models (created_by, created_at desc, id desc);
create index fine_tuned_models_public_created_idx
  on public.fine_tuned_models (created_at desc, id desc) where is_public;
create index fine_tuned_models_book_type_created_idx
  on public.fine_tuned_models (book_id, type, created_at desc, id desc);
-- The training sync's due rows; small because finished models leave it.
create index fine_tuned_models_due_idx
  on public.fine_tuned_models (next_check_at) where status in ('pending', 'training');
-- A second live model for the same owner, kind, book and entity is refused (409), even under races.
create unique index fine_tuned_models_one_live_per_entity_idx
  on public.fine_tuned_models (created_by, type, book_id, entity_key) where status <> 'failed';
-- Webhooks arrive with the provider's job id.
create index fine_tuned_models_openai_job_idx
  on public.fine_tuned_models (openai_job_id) where openai_job_id is not null;

alter table public.fine_tuned_models enable row level security;

create policy "Users can read their own and public models"
  on public.fine_tuned_models for select
  to authenticated
  using (is_public or created_by = (select auth.uid()));

create policy "Users can create their own models"
  on public.fine_tuned_models for insert
  to authenticated
  with check (created_by = (select auth.uid()));

create policy "Owners can update their models"
  on public.fine_tuned_models for update
  to authenticated
  using (created_by = (select auth.uid()))
  with check (created_by = (select auth.uid()));

create policy "Owners can delete their models"
  on public.fine_tuned_models for delete
  to authenticated
  using (created_by = (select auth.uid()));

-- Column privileges: clients may describe a model, never move its lifecycle or counters.
revoke all on table public.fine_tuned_models from anon, authenticated;
grant select on table public.fine_tuned_models to authenticated;
grant insert (name, type, entity_id, entity_name, book_id, book_info, description, is_public, quick_tune, base_model)
  on table public.fine_tuned_models to authenticated;
grant update (name, description, is_public) on table public.fine_tuned_models to authenticated;
grant delete on table public.fine_tuned_models to authenticated;
grant all on table public.fine_tuned_models to service_role;
