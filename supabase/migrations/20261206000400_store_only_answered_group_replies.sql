-- A persona's group reply is one the service answered: clients write only the reader's own
-- messages, the service the replies once the user's RLS has found the conversation.

drop policy "Users can add messages to their own group conversations" on public.group_messages;

create policy "Users can add their own messages to their group conversations"
  on public.group_messages for insert
  to authenticated
  with check (
    role = 'user'
    and model_id is null
    and user_id = (select auth.uid())
    and exists (
      select 1 from public.group_conversations c
      where c.id = group_messages.conversation_id and c.user_id = (select auth.uid()))
  );

revoke insert on table public.group_messages from anon, authenticated;
grant insert (conversation_id, role, content) on table public.group_messages to authenticated;

comment on table public.group_messages is
  'Messages of group conversations with their speaker; each row is private to the user who chatted. Clients write only their own (role user) messages; persona replies are written by the service.';
