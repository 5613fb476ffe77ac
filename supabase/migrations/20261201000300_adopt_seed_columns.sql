-- The seed's names and types for the columns clients read, and a model row that is the view of its
-- current training run instead of the sync's workbench.

-- The seed calls the persona's side of an exchange ai_response.
alter table public.fine_tuned_chats rename column assistant_response to ai_response;

-- A short passage in the persona's voice, written with the style guide; shown on model cards.
alter table public.fine_tuned_models add column sample_text text check (char_length(sample_text) <= 4000);

-- entity_id is a uuid in the seed. The idempotency key is computed from it, so it is rebuilt.
drop index public.fine_tuned_models_one_live_per_entity_idx;
alter table public.fine_tuned_models drop column entity_key;
alter table public.fine_tuned_models drop constraint fine_tuned_models_entity_id_check;
alter table public.fine_tuned_models alter column entity_id type uuid using (
  case when entity_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then entity_id::uuid end
);
-- What makes two create requests "the same model" for the idempotency rule.
alter table public.fine_tuned_models add column entity_key text
  generated always as (lower(coalesce(entity_id::text, entity_name))) stored;
-- A second live model for the same owner, kind, book and entity is refused (409), even under races.
create unique index fine_tuned_models_one_live_per_entity_idx
  on public.fine_tuned_models (created_by, type, book_id, entity_key) where status <> 'failed';

-- One human sentence about a run's training data, e.g. "24 examples on 5 topics, 3 epochs, base
-- gpt-4.1-mini-2025-04-14, about 19,600 training tokens". Null until the data exists.
create or replace function private.describe_training_data(summary jsonb, trained_tokens integer)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when summary is null or summary ->> 'examples' is null then null else
    pg_catalog.concat_ws(', ',
      (summary ->> 'examples') || ' examples on '
        || coalesce(pg_catalog.jsonb_array_length(summary -> 'topics'), 0) || ' topics',
      (summary ->> 'epochs') || ' epochs',
      'base ' || (summary ->> 'baseModel'),
      'about ' || pg_catalog.to_char(pg_catalog.round(trained_tokens, -2), 'FM999,999,999,990')
        || ' training tokens')
  end
$$;

revoke all on function private.describe_training_data(jsonb, integer) from public, anon, authenticated;
grant execute on function private.describe_training_data(jsonb, integer) to service_role;

alter table public.fine_tuned_models alter column training_data_summary type text using (
  private.describe_training_data(training_data_summary, training_tokens)
);

-- The sync's bookkeeping now lives on the model's training runs.
drop index public.fine_tuned_models_due_idx;
drop index public.fine_tuned_models_openai_job_idx;
alter table public.fine_tuned_models
  drop column next_check_at,
  drop column lease_expires_at,
  drop column check_attempts,
  drop column training_progress;

-- Which model answers chat: only a completed, unretired fine-tune runs as itself; every other state
-- is the persona fallback. A column, so clients, the Data API and chat read one rule.
alter table public.fine_tuned_models add column chat_mode text generated always as (
  case when status = 'completed' and openai_model_id is not null and fine_tuned_model_retired_at is null
       then 'fine-tuned' else 'persona' end
) stored;

-- updated_at moves only when the model changes: not for usage counters or generated columns. The
-- model's own trigger function gives way to the shared one.
drop trigger set_updated_at on public.fine_tuned_models;
create trigger set_updated_at
  before update on public.fine_tuned_models
  for each row execute function private.set_updated_at_on_edit('chat_count', 'last_used_at', 'entity_key', 'chat_mode');
drop function private.set_model_updated_at();
