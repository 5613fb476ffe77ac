-- One answered exchange (the user's message and the persona's reply) of a conversation.
create table public.fine_tuned_chats (
  id uuid primary key default gen_random_uuid(),
  model_id uuid not null references public.fine_tuned_models (id) on delete cascade,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  conversation_id uuid not null,
  -- 1, 2, 3... within the conversation; assigned by a trigger, never by the client.
  message_order integer not null,
  user_message text not null check (char_length(user_message) between 1 and 8000),
  assistant_response text not null,
  tokens_used integer not null default 0 check (tokens_used >= 0),
  response_time_ms integer check (response_time_ms >= 0),
  used_fallback boolean not null default false,
  model_used text,
  created_at timestamptz not null default now(),
  unique (conversation_id, message_order)
);

comment on table public.fine_tuned_chats is
  'Chat history; each row is private to the user who wrote it.';

-- A user's conversations with one model, newest first: one entry per conversation (its first
-- exchange), so a page of conversations is an index range scan however long the history.
create index fine_tuned_chats_conversation_starts_idx
  on public.fine_tuned_chats (user_id, model_id, created_at desc, conversation_id desc)
  where message_order = 1;
-- Foreign key lookups for the cascades from models.
create index fine_tuned_chats_model_idx on public.fine_tuned_chats (model_id);

-- Gives each exchange the next order in its conversation. The advisory lock serialises only writers
-- of the same conversation, so orders are unique and gap-free; a conversation belongs to one user
-- and one model, which the definer rights let us check across rows the caller may not see.
create or replace function private.assign_message_order()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  last_order integer;
begin
  perform pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended(new.conversation_id::text, 0));
  if exists (
    select 1 from public.fine_tuned_chats c
    where c.conversation_id = new.conversation_id
      and (c.user_id <> new.user_id or c.model_id <> new.model_id)
  ) then
    raise exception 'conversation % belongs to another user or model', new.conversation_id
      using errcode = '42501';
  end if;
  select max(c.message_order) into last_order
  from public.fine_tuned_chats c
  where c.conversation_id = new.conversation_id;
  new.message_order := coalesce(last_order, 0) + 1;
  return new;
end;
$$;

revoke all on function private.assign_message_order() from public, anon, authenticated;

create trigger assign_message_order
  before insert on public.fine_tuned_chats
  for each row execute function private.assign_message_order();

alter table public.fine_tuned_chats enable row level security;

create policy "Users can read their own chats"
  on public.fine_tuned_chats for select
  to authenticated
  using (user_id = (select auth.uid()));

-- The model subquery runs under the caller's RLS: only models they may see can be chatted with.
create policy "Users can add chats to models they can see"
  on public.fine_tuned_chats for insert
  to authenticated
  with check (
    user_id = (select auth.uid())
    and exists (select 1 from public.fine_tuned_models m where m.id = fine_tuned_chats.model_id)
  );

-- Chat history is an audit of what was said: no client updates or deletes rows (they go with
-- their model or their user).
revoke all on table public.fine_tuned_chats from anon, authenticated;
grant select on table public.fine_tuned_chats to authenticated;
grant insert (model_id, conversation_id, user_message, assistant_response, tokens_used,
  response_time_ms, used_fallback, model_used)
  on table public.fine_tuned_chats to authenticated;
grant all on table public.fine_tuned_chats to service_role;
