-- Pinned memories: what a reader asks a persona to remember, given to every chat turn with it.
-- Private to the reader; the endpoint bounds their length and number (settings), the table its own sanity.

create table public.reader_memories (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  model_id uuid not null references private.fine_tuned_models (id) on delete cascade,
  text text not null check (char_length(text) between 1 and 4000),
  -- The reply it was pinned from, while that exchange exists.
  source_chat_id uuid references public.fine_tuned_chats (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.reader_memories is
  'Memories a reader pinned for one persona (by hand or from a reply); each chat turn with it gets the newest that fit the prompt budget. Private to the reader.';

-- The prompt reads a reader's memories of one persona, most recently written first.
create index reader_memories_user_model_updated on public.reader_memories (user_id, model_id, updated_at desc);
create index reader_memories_source_chat on public.reader_memories (source_chat_id) where source_chat_id is not null;
create index reader_memories_model on public.reader_memories (model_id);

alter table public.reader_memories enable row level security;

create policy "Readers can read their own memories"
  on public.reader_memories for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Readers can pin memories of their own"
  on public.reader_memories for insert to authenticated
  with check (user_id = (select auth.uid())
              and exists (select 1 from private.fine_tuned_models m where m.id = model_id));

create policy "Readers can edit their own memories"
  on public.reader_memories for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "Readers can delete their own memories"
  on public.reader_memories for delete to authenticated
  using (user_id = (select auth.uid()));

-- Keeps updated_at true whoever writes the row: the prompt orders by it.
create function private.touch_reader_memory()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;

comment on function private.touch_reader_memory() is
  'Stamps a reader memory''s updated_at on every write (the prompt gives the most recently written first).';

revoke all on function private.touch_reader_memory() from public, anon, authenticated;

create trigger touch_reader_memory
  before insert or update on public.reader_memories
  for each row execute function private.touch_reader_memory();

-- The reader writes the text (and, on insert, which persona and reply); ownership and times are the database's.
revoke all on table public.reader_memories from anon, authenticated;
grant select, delete on table public.reader_memories to authenticated;
grant insert (model_id, text, source_chat_id), update (text) on table public.reader_memories to authenticated;
grant all on table public.reader_memories to service_role;
