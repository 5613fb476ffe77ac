-- Rewind: a reader deletes one of their exchanges and every later one of that conversation. The
-- delete triggers uncount them from chat_count; spend and the day's quota turns stay (they were paid).
-- A rolling summary that folded in any of them goes too (the next long turn writes it again).

create function private.rewind_conversation(p_claims jsonb, p_chat_id uuid)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  exchange public.fine_tuned_chats;
  removed integer;
begin
  exchange := private.lock_own_exchange(p_claims, p_chat_id);
  if exchange.id is null then
    return null;
  end if;
  -- Examples an owner took from these exchanges go with them: the reader took the words back.
  delete from public.training_examples e
  using public.fine_tuned_chats c
  where e.chat_id = c.id and c.conversation_id = exchange.conversation_id
    and c.message_order >= exchange.message_order;
  delete from public.fine_tuned_chats c
  where c.conversation_id = exchange.conversation_id and c.message_order >= exchange.message_order;
  get diagnostics removed = row_count;
  -- Else the taken-back words would live on in what later turns are told of the conversation.
  delete from public.conversation_summaries s
  where s.user_id = exchange.user_id and s.conversation_id = exchange.conversation_id
    and s.covers_through >= exchange.message_order;
  return removed;
end;
$$;

comment on function private.rewind_conversation(jsonb, uuid) is
  'Deletes the claims'' user''s exchange and every later one of its conversation, with their alternatives, the examples taken from them and a summary that covered them; answers how many exchanges went (null: not theirs). Service only.';

revoke all on function private.rewind_conversation(jsonb, uuid) from public, anon, authenticated;
grant execute on function private.rewind_conversation(jsonb, uuid) to service_role;
