-- A chat turn in two statements: everything before the provider call in one, the answered
-- exchange in one durable commit after it. Each runs as one implicit transaction on the service
-- connection, switches to the calling user for its reads and writes (RLS decides, as PostgREST
-- would) and so costs one round trip instead of a transaction's three per step.

-- Checks the user still exists, reads the model and the conversation's recent history under the
-- caller's RLS, then takes one of the user's chat turns for today. Answers `outcome`: ok,
-- user_not_found, model_not_found, conversation_not_found or quota_exceeded (nothing taken then).
-- Invoker rights: it switches role itself, which a definer function may not. It trusts the claims
-- it is given, so only the service path may call it.
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
  insert into private.daily_chat_usage as u (user_id, day, used)
  values (p_user_id, (pg_catalog.now() at time zone 'utc')::date, 1)
  on conflict (user_id, day) do update set used = u.used + 1
  where u.used < p_daily_quota;
  if not found then
    return jsonb_build_object('outcome', 'quota_exceeded');
  end if;

  return turn - 'conversation_found' || jsonb_build_object('outcome', 'ok');
end;
$$;

revoke all on function private.begin_chat_turn(uuid, jsonb, uuid, uuid, integer, integer) from public, anon, authenticated;
grant execute on function private.begin_chat_turn(uuid, jsonb, uuid, uuid, integer, integer) to service_role;

-- Stores one answered exchange as the calling user (RLS: only on a model they may see, only in
-- their own conversation) and answers its message_order; the triggers give the order and, at
-- commit, the model's counters. Invoker rights and service-only for the same reasons as above.
create or replace function private.store_chat_exchange(
  p_claims jsonb,
  p_model_id uuid,
  p_conversation_id uuid,
  p_user_message text,
  p_ai_response text,
  p_tokens_used integer,
  p_response_time_ms integer,
  p_used_fallback boolean,
  p_model_used text
)
returns integer
language plpgsql
security invoker
set search_path = ''
as $$
declare
  stored_order integer;
begin
  perform pg_catalog.set_config('request.jwt.claims', p_claims::text, true);
  perform pg_catalog.set_config('role', 'authenticated', true);
  insert into public.fine_tuned_chats
    (model_id, conversation_id, user_message, ai_response, tokens_used, response_time_ms,
     used_fallback, model_used)
  values (p_model_id, p_conversation_id, p_user_message, p_ai_response, p_tokens_used,
          p_response_time_ms, p_used_fallback, p_model_used)
  returning message_order into stored_order;
  perform pg_catalog.set_config('role', 'none', true);
  return stored_order;
end;
$$;

revoke all on function private.store_chat_exchange(jsonb, uuid, uuid, text, text, integer, integer, boolean, text) from public, anon, authenticated;
grant execute on function private.store_chat_exchange(jsonb, uuid, uuid, text, text, integer, integer, boolean, text) to service_role;
