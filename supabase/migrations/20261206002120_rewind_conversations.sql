-- Rewind: a reader deletes one of their exchanges and every later one of that conversation. The
-- delete triggers uncount them from chat_count; spend and the day's quota turns stay (they were paid).

create function private.rewind_conversation(p_claims jsonb, p_chat_id uuid)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  exchange public.fine_tuned_chats;
  removed integer;
begin
  perform pg_catalog.set_config('request.jwt.claims', p_claims::text, true);
  perform pg_catalog.set_config('role', 'authenticated', true);
  select c.* into exchange from public.fine_tuned_chats c where c.id = p_chat_id;
  perform pg_catalog.set_config('role', 'none', true);
  if exchange.id is null then
    return null;
  end if;

  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(exchange.conversation_id::text, 0));
  -- Examples an owner took from these exchanges go with them: the reader took the words back.
  delete from public.training_examples e
  using public.fine_tuned_chats c
  where e.chat_id = c.id and c.conversation_id = exchange.conversation_id
    and c.message_order >= exchange.message_order;
  delete from public.fine_tuned_chats c
  where c.conversation_id = exchange.conversation_id and c.message_order >= exchange.message_order;
  get diagnostics removed = row_count;
  return removed;
end;
$$;

comment on function private.rewind_conversation(jsonb, uuid) is
  'Deletes the claims'' user''s exchange and every later one of its conversation, with their alternatives and the examples taken from them; answers how many exchanges went (null: not theirs). Service only.';

revoke all on function private.rewind_conversation(jsonb, uuid) from public, anon, authenticated;
grant execute on function private.rewind_conversation(jsonb, uuid) to service_role;
