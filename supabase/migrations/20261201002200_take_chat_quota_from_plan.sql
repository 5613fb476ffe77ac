-- The daily chat quota comes from the user's plan; begin_chat_turn's p_daily_quota becomes the
-- deployment default for plans that leave it null. Same signature and outcomes.

-- The user's chat messages per UTC day: their plan's, else p_default.
create or replace function private.chat_quota_of(p_user_id uuid, p_default integer)
returns integer
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  quota integer;
begin
  -- plpgsql keeps the plan for the session: this runs inside every chat turn.
  select p.chat_messages_per_day into quota from public.plans p where p.id = private.plan_of(p_user_id);
  return coalesce(quota, p_default);
end;
$$;

revoke all on function private.chat_quota_of(uuid, integer) from public, anon, authenticated;
grant execute on function private.chat_quota_of(uuid, integer) to service_role;

-- As in 20261201001500_prepare_chat_turn_in_one_statement, with the plan's quota
-- (p_daily_quota: the deployment default).
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
             'book_info', m.book_info, 'openai_model_id', m.openai_model_id,
             'style_description', m.style_description, 'chat_mode', m.chat_mode,
             -- Where the live fine-tune answers (a retrain elsewhere may be training meanwhile).
             'provider', coalesce(m.fine_tune_provider, m.provider),
             'base_model', coalesce(m.fine_tune_base_model, m.base_model),
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

revoke all on function private.begin_chat_turn(uuid, jsonb, uuid, uuid, integer, integer) from public, anon, authenticated;
grant execute on function private.begin_chat_turn(uuid, jsonb, uuid, uuid, integer, integer) to service_role;
