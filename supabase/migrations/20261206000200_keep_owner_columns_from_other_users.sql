-- Another user's provider ids, tokens, cost and error stay unreadable in every schema, not only
-- through the view: clients may select only the columns everyone sees, and the owner's columns are
-- mirrored into an owner-only table the view reads them from.

create table private.model_owner_fields (
  model_id uuid primary key references private.fine_tuned_models (id) on delete cascade,
  created_by uuid not null,
  openai_job_id text,
  openai_model_id text,
  training_file_id text,
  training_tokens integer,
  estimated_cost_usd numeric(10, 4),
  error text
);

comment on table private.model_owner_fields is
  'The owner-only columns of each model (provider ids, tokens, cost, error), mirrored from private.fine_tuned_models by a trigger; readable by the model''s owner only, so the public view can show them to the owner and to no one else.';

alter table private.model_owner_fields enable row level security;

create policy "Owners can read the provider fields of their models"
  on private.model_owner_fields for select
  to authenticated
  using (created_by = (select auth.uid()));

revoke all on table private.model_owner_fields from public, anon, authenticated;
grant select on table private.model_owner_fields to authenticated;
grant select, insert, update, delete on table private.model_owner_fields to service_role;

-- Keeps the mirror equal to the model's columns, whoever writes them (the service, the run mirror).
-- Definer rights: the writers of a model row hold no privilege on the mirror.
create function private.mirror_model_owner_fields()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.model_owner_fields as o
    (model_id, created_by, openai_job_id, openai_model_id, training_file_id, training_tokens, estimated_cost_usd, error)
  values (new.id, new.created_by, new.openai_job_id, new.openai_model_id, new.training_file_id,
          new.training_tokens, new.estimated_cost_usd, new.error)
  on conflict (model_id) do update
    set created_by = excluded.created_by, openai_job_id = excluded.openai_job_id,
        openai_model_id = excluded.openai_model_id, training_file_id = excluded.training_file_id,
        training_tokens = excluded.training_tokens, estimated_cost_usd = excluded.estimated_cost_usd,
        error = excluded.error;
  return null;
end;
$$;

comment on function private.mirror_model_owner_fields() is
  'Copies a model''s owner-only columns into private.model_owner_fields on insert and when they change.';

revoke all on function private.mirror_model_owner_fields() from public, anon, authenticated;

create trigger mirror_model_owner_fields
  after insert on private.fine_tuned_models
  for each row execute function private.mirror_model_owner_fields();

create trigger mirror_model_owner_fields_on_update
  after update on private.fine_tuned_models
  for each row
  when ((old.created_by, old.openai_job_id, old.openai_model_id, old.training_file_id, old.training_tokens,
         old.estimated_cost_usd, old.error)
        is distinct from
        (new.created_by, new.openai_job_id, new.openai_model_id, new.training_file_id, new.training_tokens,
         new.estimated_cost_usd, new.error))
  execute function private.mirror_model_owner_fields();

insert into private.model_owner_fields
  (model_id, created_by, openai_job_id, openai_model_id, training_file_id, training_tokens, estimated_cost_usd, error)
select m.id, m.created_by, m.openai_job_id, m.openai_model_id, m.training_file_id, m.training_tokens,
       m.estimated_cost_usd, m.error
from private.fine_tuned_models m;

-- The same view, the owner's columns read from the mirror: it no longer names them on the table,
-- so reading it needs no privilege on them.
create or replace view public.fine_tuned_models
with (security_invoker = true)
as
select
  m.id, m.name, m.type, m.entity_id, m.entity_name, m.book_id, m.book_info, m.description,
  m.is_public, m.quick_tune, m.base_model, m.provider, m.status, m.chat_mode,
  m.style_description, m.sample_text, m.starter_prompts,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then (select o.openai_job_id from private.model_owner_fields o where o.model_id = m.id) end as openai_job_id,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then (select o.openai_model_id from private.model_owner_fields o where o.model_id = m.id) end as openai_model_id,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then (select o.training_file_id from private.model_owner_fields o where o.model_id = m.id) end as training_file_id,
  m.training_data_summary,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then (select o.training_tokens from private.model_owner_fields o where o.model_id = m.id) end as training_tokens,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then (select o.estimated_cost_usd::numeric from private.model_owner_fields o where o.model_id = m.id) end
    as estimated_cost_usd,
  case when m.created_by = (select auth.uid()) or current_user not in ('anon', 'authenticated')
       then (select o.error from private.model_owner_fields o where o.model_id = m.id) end as error,
  (m.chat_count + coalesce((select sum(t.chats) from private.model_chat_tallies t where t.model_id = m.id), 0))::integer
    as chat_count,
  greatest(m.last_used_at, (select max(t.last_chat_at) from private.model_chat_tallies t where t.model_id = m.id))
    as last_used_at,
  m.created_by, m.created_at, m.updated_at,
  m.training_started_at, m.training_completed_at, m.fine_tuned_model_retired_at,
  m.greeting,
  m.voice, m.alternate_greetings
from private.fine_tuned_models m;

-- Clients select only what the view shows everyone (and recent_chat_count, which the popular
-- listing orders by); the owner-only and routing columns are the service's.
revoke select on table private.fine_tuned_models from anon, authenticated;
grant select (id, name, type, entity_id, entity_name, book_id, book_info, description, is_public, quick_tune,
  base_model, provider, status, training_data_summary, style_description, chat_count, last_used_at,
  created_by, created_at, updated_at, training_started_at, training_completed_at, fine_tuned_model_retired_at,
  starter_prompts, sample_text, entity_key, chat_mode, greeting, recent_chat_count, voice, alternate_greetings)
  on table private.fine_tuned_models to authenticated;

-- As in 20261201002200_take_chat_quota_from_plan, except that the route to the live fine-tune
-- (owner-only columns) is read with the service's rights, for the model the caller's RLS found.
create or replace function private.begin_chat_turn(
  p_user_id uuid,
  p_claims jsonb,
  p_model_id uuid,
  p_conversation_id uuid,
  p_daily_quota integer,
  p_history_limit integer
)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  turn jsonb;
  route jsonb;
  daily_quota integer;
begin
  if not exists (select 1 from auth.users u where u.id = p_user_id) then
    return jsonb_build_object('outcome', 'user_not_found');
  end if;

  perform pg_catalog.set_config('request.jwt.claims', p_claims::text, true);
  perform pg_catalog.set_config('role', 'authenticated', true);
  select jsonb_build_object(
           'model', jsonb_build_object(
             'id', m.id, 'type', m.type, 'entity_name', m.entity_name, 'description', m.description,
             'book_info', m.book_info, 'style_description', m.style_description, 'chat_mode', m.chat_mode,
             'greeting', m.greeting, 'owned', m.created_by = p_user_id),
           'conversation_found', p_conversation_id is null or exists (
             select 1 from public.fine_tuned_chats c
             where c.conversation_id = p_conversation_id and c.model_id = m.id),
           'history', coalesce((
             select jsonb_agg(jsonb_build_object('user', h.user_message, 'assistant', h.ai_response)
                              order by h.message_order)
             from (select c.user_message, c.ai_response, c.message_order
                   from public.fine_tuned_chats c
                   where c.conversation_id = p_conversation_id and c.model_id = m.id
                   order by c.message_order desc
                   limit p_history_limit) h
           ), '[]'::jsonb))
  into turn
  from private.fine_tuned_models m
  where m.id = p_model_id;
  perform pg_catalog.set_config('role', 'none', true);

  if turn is null then
    return jsonb_build_object('outcome', 'model_not_found');
  end if;
  if not (turn ->> 'conversation_found')::boolean then
    return jsonb_build_object('outcome', 'conversation_not_found');
  end if;

  -- Where the live fine-tune answers (a retrain elsewhere may be training meanwhile).
  select jsonb_build_object('openai_model_id', m.openai_model_id,
                            'provider', coalesce(m.fine_tune_provider, m.provider),
                            'base_model', coalesce(m.fine_tune_base_model, m.base_model))
  into route
  from private.fine_tuned_models m
  where m.id = p_model_id;
  if route is null then
    return jsonb_build_object('outcome', 'model_not_found');
  end if;
  turn := pg_catalog.jsonb_set(turn, '{model}', (turn -> 'model') || route);

  -- A turn lost in a crash only gives the user one message more: the answer's commit is the one
  -- that must be durable, so this one does not wait for its WAL flush.
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  daily_quota := private.chat_quota_of(p_user_id, p_daily_quota);
  insert into private.daily_chat_usage as u (user_id, day, used)
  select p_user_id, (pg_catalog.now() at time zone 'utc')::date, 1
  where daily_quota > 0
  on conflict (user_id, day) do update set used = u.used + 1
  where u.used < daily_quota;
  if not found then
    return jsonb_build_object('outcome', 'quota_exceeded', 'quota', daily_quota);
  end if;

  return turn - 'conversation_found' || jsonb_build_object('outcome', 'ok');
end;
$$;

comment on function private.begin_chat_turn(uuid, jsonb, uuid, uuid, integer, integer) is
  'A chat turn''s first statement: the user, the model and the conversation under the caller''s RLS, the fine-tune route with the service''s rights, then one of today''s chat turns. Service only.';

revoke all on function private.begin_chat_turn(uuid, jsonb, uuid, uuid, integer, integer) from public, anon, authenticated;
grant execute on function private.begin_chat_turn(uuid, jsonb, uuid, uuid, integer, integer) to service_role;
