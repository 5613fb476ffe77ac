-- A persona's first message (Character.AI's greeting, a card's first_mes): written with the style
-- guide while the model is created, editable by its owner, shown when a conversation opens and
-- sent to the model as the conversation's opening turn.
alter table private.fine_tuned_models
  add column greeting text check (char_length(greeting) between 1 and 4000);

-- The view shows the greeting to everyone who sees the model (it is part of the persona, like the
-- sample text). `create or replace` appends the column and keeps the view's security_invoker,
-- its blanking of the owner's provider ids and its grants.
create or replace view public.fine_tuned_models
with (security_invoker = true)
as
select
  m.id, m.name, m.type, m.entity_id, m.entity_name, m.book_id, m.book_info, m.description,
  m.is_public, m.quick_tune, m.base_model, m.provider, m.status, m.chat_mode,
  m.style_description, m.sample_text, m.starter_prompts,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then m.openai_job_id end as openai_job_id,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then m.openai_model_id end as openai_model_id,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then m.training_file_id end as training_file_id,
  m.training_data_summary,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then m.training_tokens end as training_tokens,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then m.estimated_cost_usd end as estimated_cost_usd,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then m.error end as error,
  m.chat_count, m.last_used_at, m.created_by, m.created_at, m.updated_at,
  m.training_started_at, m.training_completed_at, m.fine_tuned_model_retired_at,
  m.greeting
from private.fine_tuned_models m;

-- The owner may rewrite the greeting (RLS: "Owners can update their models"), on the table and
-- through the view, as they may rename or share the persona.
grant update (greeting) on table private.fine_tuned_models to authenticated;
grant update (greeting) on table public.fine_tuned_models to authenticated;
