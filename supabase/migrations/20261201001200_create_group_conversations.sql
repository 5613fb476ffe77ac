-- Group chats: one reader talking with two to six personas at once. One-to-one chats keep
-- fine_tuned_chats (a row per exchange); a group conversation is a run of single messages, each
-- with its speaker, so these live in their own tables.

-- A reader's group conversation: its owner is the only one who reads or continues it.
create table public.group_conversations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  created_at timestamptz not null default now()
);

comment on table public.group_conversations is
  'Group chats of one user with several personas; private to that user.';

-- A user's group conversations, newest first, as an index range scan (keyset pagination).
create index group_conversations_user_idx
  on public.group_conversations (user_id, created_at desc, id desc);

-- Who takes part in a group conversation, in the order the reader chose them.
create table public.group_conversation_participants (
  conversation_id uuid not null references public.group_conversations (id) on delete cascade,
  model_id uuid not null references private.fine_tuned_models (id) on delete cascade,
  position smallint not null check (position between 1 and 6),
  primary key (conversation_id, model_id),
  unique (conversation_id, position)
);

comment on table public.group_conversation_participants is
  'The personas of a group conversation, in order; readable by the conversation''s user only.';

-- Foreign key lookups for the cascade when a model is deleted.
create index group_conversation_participants_model_idx on public.group_conversation_participants (model_id);

-- One message of a group conversation: the reader's (role user) or a persona's (role assistant,
-- with the persona as model_id). The persona's name is kept with its words, so a transcript still
-- says who spoke after the persona is deleted (model_id then becomes null).
create table public.group_messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references public.group_conversations (id) on delete cascade,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  -- 1, 2, 3... within the conversation; assigned by a trigger, never by the client.
  message_order integer not null,
  role text not null check (role in ('user', 'assistant')),
  model_id uuid references private.fine_tuned_models (id) on delete set null,
  speaker_name text check (char_length(speaker_name) between 1 and 200),
  content text not null check (char_length(content) between 1 and 16000),
  tokens_used integer not null default 0 check (tokens_used >= 0),
  response_time_ms integer check (response_time_ms >= 0),
  used_fallback boolean,
  model_used text,
  created_at timestamptz not null default now(),
  unique (conversation_id, message_order),
  check ((role = 'user') = (speaker_name is null)),
  check (role = 'assistant' or model_id is null)
);

comment on table public.group_messages is
  'Messages of group conversations with their speaker; each row is private to the user who chatted.';

-- Foreign key lookups for the set-null when a model is deleted.
create index group_messages_model_idx on public.group_messages (model_id) where model_id is not null;
-- Cascades from a deleted user.
create index group_messages_user_idx on public.group_messages (user_id);

-- Gives each message the next order in its conversation. The advisory lock serialises only writers
-- of the same conversation and is held to the end of the transaction, so orders are unique and
-- gap-free and one round (the reader's message and the replies) is stored contiguously.
create or replace function private.assign_group_message_order()
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
  select max(g.message_order) into last_order
  from public.group_messages g
  where g.conversation_id = new.conversation_id;
  new.message_order := coalesce(last_order, 0) + 1;
  return new;
end;
$$;

revoke all on function private.assign_group_message_order() from public, anon, authenticated;

create trigger assign_group_message_order
  before insert on public.group_messages
  for each row execute function private.assign_group_message_order();

-- A persona's group replies count in its chat_count and last_used_at, as its one-to-one chats do,
-- with the same deferred, definer trigger function (it reads new.model_id and new.created_at).
create constraint trigger bump_model_chat_stats_on_insert
  after insert on public.group_messages
  deferrable initially deferred
  for each row
  when (new.model_id is not null)
  execute function private.bump_model_chat_stats();

create constraint trigger bump_model_chat_stats_on_delete
  after delete on public.group_messages
  deferrable initially deferred
  for each row
  when (old.model_id is not null)
  execute function private.bump_model_chat_stats();

alter table public.group_conversations enable row level security;
alter table public.group_conversation_participants enable row level security;
alter table public.group_messages enable row level security;

create policy "Users can read their own group conversations"
  on public.group_conversations for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Users can start their own group conversations"
  on public.group_conversations for insert
  to authenticated
  with check (user_id = (select auth.uid()));

create policy "Users can read the participants of their group conversations"
  on public.group_conversation_participants for select
  to authenticated
  using (exists (
    select 1 from public.group_conversations c
    where c.id = group_conversation_participants.conversation_id and c.user_id = (select auth.uid())));

-- The model subquery runs under the caller's RLS: only personas they may chat with can join.
create policy "Users can add personas they can see to their group conversations"
  on public.group_conversation_participants for insert
  to authenticated
  with check (
    exists (
      select 1 from public.group_conversations c
      where c.id = group_conversation_participants.conversation_id and c.user_id = (select auth.uid()))
    and exists (select 1 from private.fine_tuned_models m where m.id = group_conversation_participants.model_id)
  );

create policy "Users can read their own group messages"
  on public.group_messages for select
  to authenticated
  using (user_id = (select auth.uid()));

-- A message goes into the user's own conversation, and a persona's only when it takes part and the
-- user may still see it.
create policy "Users can add messages to their own group conversations"
  on public.group_messages for insert
  to authenticated
  with check (
    user_id = (select auth.uid())
    and exists (
      select 1 from public.group_conversations c
      where c.id = group_messages.conversation_id and c.user_id = (select auth.uid()))
    and (model_id is null or (
      exists (
        select 1 from public.group_conversation_participants p
        where p.conversation_id = group_messages.conversation_id and p.model_id = group_messages.model_id)
      and exists (select 1 from private.fine_tuned_models m where m.id = group_messages.model_id)))
  );

-- What was said is an audit, as for one-to-one chats: no client updates or deletes (rows go with
-- their user; a persona's deletion blanks its model_id).
revoke all on table public.group_conversations from anon, authenticated;
revoke all on table public.group_conversation_participants from anon, authenticated;
revoke all on table public.group_messages from anon, authenticated;
grant select on table public.group_conversations to authenticated;
grant insert (id) on table public.group_conversations to authenticated;
grant select on table public.group_conversation_participants to authenticated;
grant insert (conversation_id, model_id, position) on table public.group_conversation_participants to authenticated;
grant select on table public.group_messages to authenticated;
grant insert (conversation_id, role, model_id, speaker_name, content, tokens_used, response_time_ms,
  used_fallback, model_used)
  on table public.group_messages to authenticated;
grant all on table public.group_conversations to service_role;
grant all on table public.group_conversation_participants to service_role;
grant all on table public.group_messages to service_role;
