-- Another user's public model shows its persona and usage, never the owner's provider ids, errors
-- or bookkeeping. RLS sees rows, not columns: the table moves to private and clients read a
-- security_invoker view of the same name that blanks those columns for anyone but the owner.
alter table public.fine_tuned_models set schema private;

-- The view reaches the table with the caller's rights: clients need the schema (nothing else in
-- it is granted to them) and the table's privileges, which the Data API does not expose.
grant usage on schema private to authenticated;

create view public.fine_tuned_models
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
  m.training_started_at, m.training_completed_at, m.fine_tuned_model_retired_at
from private.fine_tuned_models m;

comment on view public.fine_tuned_models is
  'Author and character personas as clients see them: own and public rows (RLS), the owner''s provider ids, errors and costs blank on other users'' models.';

-- The table: what the view needs, and nothing that moves a lifecycle (granted before as well).
revoke all on table private.fine_tuned_models from anon, authenticated;
grant select on table private.fine_tuned_models to authenticated;
grant insert (name, type, entity_id, entity_name, book_id, book_info, description, is_public, quick_tune, base_model)
  on table private.fine_tuned_models to authenticated;
grant update (name, description, is_public) on table private.fine_tuned_models to authenticated;
grant delete on table private.fine_tuned_models to authenticated;
grant all on table private.fine_tuned_models to service_role;

-- The view: the same writes, so the Data API can create, rename, share and delete personas.
revoke all on table public.fine_tuned_models from anon, authenticated;
grant select, delete on table public.fine_tuned_models to authenticated;
grant insert (name, type, entity_id, entity_name, book_id, book_info, description, is_public, quick_tune, base_model)
  on table public.fine_tuned_models to authenticated;
grant update (name, description, is_public) on table public.fine_tuned_models to authenticated;
grant all on table public.fine_tuned_models to service_role;

-- The chat-stats trigger now names the table where it lives.
create or replace function private.bump_model_chat_stats()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    update private.fine_tuned_models m
    set chat_count = m.chat_count + 1,
        last_used_at = greatest(m.last_used_at, new.created_at)
    where m.id = new.model_id;
  else
    update private.fine_tuned_models m
    set chat_count = greatest(m.chat_count - 1, 0)
    where m.id = old.model_id;
  end if;
  return null;
end;
$$;
