-- Regenerate, edit and continue store a new reply of the conversation's last exchange and choose
-- it; choosing another brings its words (and its rating) back onto the exchange. One statement
-- each, serialised per conversation like new exchanges, so a turn racing a new message is refused.

-- The caller's exchange as their RLS shows it, locked with its conversation (the lock new exchanges take).
create function private.lock_own_exchange(p_claims jsonb, p_chat_id uuid)
returns public.fine_tuned_chats
language plpgsql
set search_path = ''
as $$
declare
  exchange public.fine_tuned_chats;
begin
  perform pg_catalog.set_config('request.jwt.claims', p_claims::text, true);
  perform pg_catalog.set_config('role', 'authenticated', true);
  select c.* into exchange from public.fine_tuned_chats c where c.id = p_chat_id;
  perform pg_catalog.set_config('role', 'none', true);
  if exchange.id is null then
    return exchange;
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(exchange.conversation_id::text, 0));
  select c.* into exchange from public.fine_tuned_chats c where c.id = p_chat_id for update;
  return exchange;
end;
$$;

comment on function private.lock_own_exchange(jsonb, uuid) is
  'The claims'' user''s exchange (all nulls when their RLS does not show it), locked with its conversation as new exchanges lock it. Service only.';

revoke all on function private.lock_own_exchange(jsonb, uuid) from public, anon, authenticated;
grant execute on function private.lock_own_exchange(jsonb, uuid) to service_role;

create function private.store_chat_alternative(
  p_claims jsonb, p_chat_id uuid, p_kind text, p_hint text, p_user_message text, p_ai_response text,
  p_tokens_used integer, p_response_time_ms integer, p_used_fallback boolean, p_model_used text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  exchange public.fine_tuned_chats;
  stored public.chat_alternatives;
begin
  exchange := private.lock_own_exchange(p_claims, p_chat_id);
  if exchange.id is null then
    return jsonb_build_object('outcome', 'not_found');
  end if;
  if exists (select 1 from public.fine_tuned_chats c
             where c.conversation_id = exchange.conversation_id and c.message_order > exchange.message_order) then
    return jsonb_build_object('outcome', 'not_last');
  end if;

  -- The first extra reply keeps the exchange's own as position 1; later ones keep the chosen one's rating.
  if not exists (select 1 from public.chat_alternatives a where a.chat_id = p_chat_id) then
    insert into public.chat_alternatives
      (chat_id, user_id, position, kind, user_message, ai_response, tokens_used, response_time_ms,
       used_fallback, model_used, rating, created_at)
    values (exchange.id, exchange.user_id, 1, 'original', exchange.user_message, exchange.ai_response,
            exchange.tokens_used, exchange.response_time_ms, exchange.used_fallback, exchange.model_used,
            exchange.rating, exchange.created_at);
  else
    update public.chat_alternatives a set chosen = false, rating = exchange.rating
    where a.chat_id = p_chat_id and a.chosen;
  end if;

  insert into public.chat_alternatives
    (chat_id, user_id, position, kind, hint, user_message, ai_response, tokens_used, response_time_ms,
     used_fallback, model_used, chosen)
  select exchange.id, exchange.user_id, max(a.position) + 1, p_kind, p_hint, p_user_message, p_ai_response,
         p_tokens_used, p_response_time_ms, p_used_fallback, p_model_used, true
  from public.chat_alternatives a where a.chat_id = p_chat_id
  returning * into stored;

  update public.fine_tuned_chats c
  set user_message = p_user_message, ai_response = p_ai_response, tokens_used = p_tokens_used,
      response_time_ms = p_response_time_ms, used_fallback = p_used_fallback, model_used = p_model_used,
      rating = null
  where c.id = p_chat_id;

  return jsonb_build_object('outcome', 'ok', 'alternative_id', stored.id, 'position', stored.position,
                            'message_order', exchange.message_order, 'conversation_id', exchange.conversation_id);
end;
$$;

comment on function private.store_chat_alternative(jsonb, uuid, text, text, text, text, integer, integer, boolean, text) is
  'Stores a new reply of the claims'' user''s last exchange of a conversation and chooses it (outcome not_found, not_last or ok). Service only.';

revoke all on function private.store_chat_alternative(jsonb, uuid, text, text, text, text, integer, integer, boolean, text)
  from public, anon, authenticated;
grant execute on function private.store_chat_alternative(jsonb, uuid, text, text, text, text, integer, integer, boolean, text)
  to service_role;

create function private.choose_chat_alternative(p_claims jsonb, p_chat_id uuid, p_alternative_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  exchange public.fine_tuned_chats;
  wanted public.chat_alternatives;
begin
  exchange := private.lock_own_exchange(p_claims, p_chat_id);
  select a.* into wanted from public.chat_alternatives a where a.id = p_alternative_id and a.chat_id = p_chat_id;
  if exchange.id is null or wanted.id is null then
    return jsonb_build_object('outcome', 'not_found');
  end if;
  if exists (select 1 from public.fine_tuned_chats c
             where c.conversation_id = exchange.conversation_id and c.message_order > exchange.message_order) then
    return jsonb_build_object('outcome', 'not_last');
  end if;

  if not wanted.chosen then
    update public.chat_alternatives a set chosen = false, rating = exchange.rating
    where a.chat_id = p_chat_id and a.chosen;
    update public.chat_alternatives a set chosen = true where a.id = wanted.id;
    update public.fine_tuned_chats c
    set user_message = wanted.user_message, ai_response = wanted.ai_response, tokens_used = wanted.tokens_used,
        response_time_ms = wanted.response_time_ms, used_fallback = wanted.used_fallback,
        model_used = wanted.model_used, rating = wanted.rating
    where c.id = p_chat_id;
  end if;
  return jsonb_build_object('outcome', 'ok');
end;
$$;

comment on function private.choose_chat_alternative(jsonb, uuid, uuid) is
  'Chooses one stored reply of the claims'' user''s last exchange: its message, reply and rating become the exchange''s (outcome not_found, not_last or ok). Service only.';

revoke all on function private.choose_chat_alternative(jsonb, uuid, uuid) from public, anon, authenticated;
grant execute on function private.choose_chat_alternative(jsonb, uuid, uuid) to service_role;
