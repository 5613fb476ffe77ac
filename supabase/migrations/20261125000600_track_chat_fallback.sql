-- What chat needs on a model beyond its lifecycle.

-- Set when the provider answered 404 for the fine-tuned model (retired): chat stops trying it and
-- answers with the persona fallback from then on.
alter table public.fine_tuned_models add column fine_tuned_model_retired_at timestamptz;

-- 3-5 questions a reader could open a conversation with, written with the style guide.
alter table public.fine_tuned_models add column starter_prompts jsonb not null default '[]'::jsonb
  check (jsonb_typeof(starter_prompts) = 'array');
