-- A reader's own name for a one-to-one conversation, shown in the history list instead of its first
-- message and found by its search. Private to the reader, like the conversation: only its owner
-- may name it, and only a conversation they had.
create table public.conversation_titles (
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  conversation_id uuid not null,
  title text not null check (char_length(title) between 1 and 120),
  updated_at timestamptz not null default now(),
  primary key (user_id, conversation_id)
);

comment on table public.conversation_titles is
  'The name each reader gave their one-to-one conversations (conversation_id of public.fine_tuned_chats); private to the reader.';

alter table public.conversation_titles enable row level security;

create policy "Readers can read the names of their conversations"
  on public.conversation_titles for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Readers can name their own conversations"
  on public.conversation_titles for insert
  to authenticated
  with check (
    user_id = (select auth.uid())
    and exists (
      select 1 from public.fine_tuned_chats c
      where c.conversation_id = conversation_titles.conversation_id and c.user_id = (select auth.uid())
    )
  );

create policy "Readers can rename their own conversations"
  on public.conversation_titles for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

-- The reader is always the caller (the default); only the name and its time are written.
revoke all on table public.conversation_titles from anon, authenticated;
grant select on table public.conversation_titles to authenticated;
grant insert (conversation_id, title) on table public.conversation_titles to authenticated;
grant update (title, updated_at) on table public.conversation_titles to authenticated;
