-- A popular persona's chats no longer queue on its row: a commit that finds the row locked adds a
-- tally instead, folded in by the next writer or the minute's schedule. The public view adds the
-- unfolded tallies, so chat_count is exact in every answer.

create table private.model_chat_tallies (
  model_id uuid not null references private.fine_tuned_models (id) on delete cascade,
  chats integer not null,
  last_chat_at timestamptz not null
);

comment on table private.model_chat_tallies is
  'Chats counted while their model''s row was locked, not yet folded into fine_tuned_models.chat_count (see private.bump_model_chat_stats).';

create index model_chat_tallies_model_idx on private.model_chat_tallies (model_id);

alter table private.model_chat_tallies enable row level security;

-- The models view reads the tallies with the caller's rights: a tally is visible where its model is.
create policy "Tallies are visible with their model"
  on private.model_chat_tallies for select
  to authenticated
  using (exists (select 1 from private.fine_tuned_models m where m.id = model_chat_tallies.model_id));

revoke all on table private.model_chat_tallies from public, anon, authenticated;
grant select on table private.model_chat_tallies to authenticated;
grant select, insert, delete on table private.model_chat_tallies to service_role;

-- Adds `chats` (one chat, or minus one) to the model's counters: into the row when its lock is
-- free (or when `wait`), with every tally it can see; otherwise as a tally. Answers whether the
-- row was written. Tallies of transactions still committing are not visible, so they stay for the
-- next fold: none is counted twice or lost. Invoker rights: its callers are the definer trigger
-- below and the fold (the schedule, or the service role).
create or replace function private.add_model_chats(p_model_id uuid, p_chats integer, p_at timestamptz, p_wait boolean)
returns boolean
language plpgsql
set search_path = ''
as $$
declare
  folded_chats integer;
  folded_last timestamptz;
begin
  if p_wait then
    perform 1 from private.fine_tuned_models m where m.id = p_model_id for no key update;
  else
    perform 1 from private.fine_tuned_models m where m.id = p_model_id for no key update skip locked;
  end if;
  if not found then
    -- Locked by another writer (or the model is gone: then the tally goes with it, by cascade).
    if p_chats > 0 then
      insert into private.model_chat_tallies (model_id, chats, last_chat_at)
      select p_model_id, p_chats, p_at
      where exists (select 1 from private.fine_tuned_models m where m.id = p_model_id);
    end if;
    return false;
  end if;

  with folded as (
    delete from private.model_chat_tallies t where t.model_id = p_model_id
    returning t.chats, t.last_chat_at
  )
  select coalesce(sum(f.chats), 0), max(f.last_chat_at) into folded_chats, folded_last from folded f;

  update private.fine_tuned_models m
  set chat_count = greatest(m.chat_count + folded_chats + p_chats, 0),
      -- greatest() skips nulls: a delete or a fold passes no time of its own.
      last_used_at = greatest(m.last_used_at, p_at, folded_last)
  where m.id = p_model_id;
  return true;
end;
$$;

revoke all on function private.add_model_chats(uuid, integer, timestamptz, boolean) from public, anon, authenticated;
grant execute on function private.add_model_chats(uuid, integer, timestamptz, boolean) to service_role;

-- The same trigger function (on chats and on group replies): an insert never waits for the model
-- row; a delete (rare: a conversation or an account going) waits, so the count never dips below
-- the chats that remain.
create or replace function private.bump_model_chat_stats()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.add_model_chats(new.model_id, 1, new.created_at, false);
  else
    perform private.add_model_chats(old.model_id, -1, null, true);
  end if;
  return null;
end;
$$;

revoke all on function private.bump_model_chat_stats() from public, anon, authenticated;

-- Folds every model's tallies into its row, skipping rows locked meanwhile (the next run takes
-- them). Answers how many models it folded.
create or replace function private.fold_chat_tallies()
returns integer
language plpgsql
set search_path = ''
as $$
declare
  model uuid;
  folded integer := 0;
begin
  for model in select distinct t.model_id from private.model_chat_tallies t loop
    if private.add_model_chats(model, 0, null, false) then
      folded := folded + 1;
    end if;
  end loop;
  return folded;
end;
$$;

revoke all on function private.fold_chat_tallies() from public, anon, authenticated;
grant execute on function private.fold_chat_tallies() to service_role;

do $$
begin
  if to_regnamespace('cron') is not null then
    perform cron.schedule('fold-chat-tallies', '* * * * *', 'select private.fold_chat_tallies()');
  end if;
end
$$;

-- The row as the Data API shows it: chat_count and last_used_at with the tallies not yet folded
-- (scalar subqueries keep the view updatable; these two columns never were, for anyone but the trigger).
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
  (m.chat_count + coalesce((select sum(t.chats) from private.model_chat_tallies t where t.model_id = m.id), 0))::integer
    as chat_count,
  greatest(m.last_used_at, (select max(t.last_chat_at) from private.model_chat_tallies t where t.model_id = m.id))
    as last_used_at,
  m.created_by, m.created_at, m.updated_at,
  m.training_started_at, m.training_completed_at, m.fine_tuned_model_retired_at,
  m.greeting,
  m.voice, m.alternate_greetings
from private.fine_tuned_models m;
