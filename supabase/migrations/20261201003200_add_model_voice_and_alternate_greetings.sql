-- A persona's speaking voice (a name from the speech provider's voice list, TTS_VOICES): chosen at
-- creation, editable by its owner, used when a reply is read aloud. Null: the default voice.
alter table private.fine_tuned_models
  add column voice text check (voice ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$');

-- Other first messages a persona may open with (a Character Card's alternate_greetings), kept so an
-- exported card gives them back; at most 20, each as long as a greeting.
alter table private.fine_tuned_models
  add column alternate_greetings text[] not null default '{}'
    check (cardinality(alternate_greetings) <= 20 and array_position(alternate_greetings, null) is null);

-- Each alternate greeting is 1-4,000 characters, like the greeting: a check cannot look inside an
-- array, so a trigger refuses the row with the error a check would raise.
create function private.check_alternate_greetings()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from pg_catalog.unnest(new.alternate_greetings) as g
             where pg_catalog.char_length(g) not between 1 and 4000) then
    raise exception 'each alternate greeting must be 1-4000 characters'
      using errcode = 'check_violation', table = 'fine_tuned_models', column = 'alternate_greetings';
  end if;
  return new;
end;
$$;

revoke all on function private.check_alternate_greetings() from public, anon, authenticated;

create trigger check_alternate_greetings
  before insert or update of alternate_greetings on private.fine_tuned_models
  for each row execute function private.check_alternate_greetings();

-- The view shows both to everyone who sees the model (they are part of the persona, like the
-- greeting), appended at the end. `create or replace` keeps the view's security_invoker, its
-- blanking of the owner's provider ids and its grants.
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
  m.greeting,
  m.voice, m.alternate_greetings
from private.fine_tuned_models m;

-- The owner may choose another voice and rewrite the alternate greetings (RLS: "Owners can update
-- their models"), on the table and through the view, as they may rewrite the greeting.
grant update (voice, alternate_greetings) on table private.fine_tuned_models to authenticated;
grant update (voice, alternate_greetings) on table public.fine_tuned_models to authenticated;
