-- Who the reader is in a chat ("you are talking with ..."): a name and a short description, or a
-- character of the persona's own book the reader plays. At most one default per reader.

create table public.reader_personas (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 80),
  description text not null default '' check (char_length(description) <= 1000),
  -- A persona (model) of a book the reader plays: chats with that book's personas answer them as it.
  plays_model_id uuid references private.fine_tuned_models (id) on delete set null,
  is_default boolean not null default false,
  created_at timestamptz not null default now()
);

comment on table public.reader_personas is
  'Who a reader is in their chats: a name and description given to the persona, optionally a character of the book they play; one may be their default. Private to the reader.';

create index reader_personas_user on public.reader_personas (user_id, created_at);
create unique index reader_personas_one_default on public.reader_personas (user_id) where is_default;
create index reader_personas_plays_model on public.reader_personas (plays_model_id) where plays_model_id is not null;

alter table public.reader_personas enable row level security;

create policy "Readers can read their own personas"
  on public.reader_personas for select to authenticated
  using (user_id = (select auth.uid()));

-- A played character must be a persona the reader may see (their own or a public one).
create policy "Readers can create personas of their own"
  on public.reader_personas for insert to authenticated
  with check (user_id = (select auth.uid())
              and (plays_model_id is null
              or exists (select 1 from private.fine_tuned_models m where m.id = plays_model_id)));

create policy "Readers can change their own personas"
  on public.reader_personas for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid())
              and (plays_model_id is null
              or exists (select 1 from private.fine_tuned_models m where m.id = plays_model_id)));

create policy "Readers can delete their own personas"
  on public.reader_personas for delete to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.reader_personas from anon, authenticated;
grant select, delete on table public.reader_personas to authenticated;
grant insert (name, description, plays_model_id, is_default), update (name, description, plays_model_id, is_default)
  on table public.reader_personas to authenticated;
grant all on table public.reader_personas to service_role;

-- Which persona the reader chose for one conversation (else their default answers for them).
create table public.conversation_reader_personas (
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  conversation_id uuid not null,
  reader_persona_id uuid not null references public.reader_personas (id) on delete cascade,
  primary key (user_id, conversation_id)
);

comment on table public.conversation_reader_personas is
  'The reader persona a reader chose for one of their conversations, over their default. Private to the reader.';

create index conversation_reader_personas_persona on public.conversation_reader_personas (reader_persona_id);

alter table public.conversation_reader_personas enable row level security;

create policy "Readers can read their own conversation personas"
  on public.conversation_reader_personas for select to authenticated
  using (user_id = (select auth.uid()));

-- Only one of the reader's own personas (RLS shows no one else's).
create policy "Readers can choose personas for their own conversations"
  on public.conversation_reader_personas for insert to authenticated
  with check (user_id = (select auth.uid())
              and exists (select 1 from public.reader_personas p where p.id = reader_persona_id));

create policy "Readers can change their own conversation personas"
  on public.conversation_reader_personas for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid())
              and exists (select 1 from public.reader_personas p where p.id = reader_persona_id));

create policy "Readers can clear their own conversation personas"
  on public.conversation_reader_personas for delete to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.conversation_reader_personas from anon, authenticated;
grant select, delete on table public.conversation_reader_personas to authenticated;
grant insert (conversation_id, reader_persona_id), update (reader_persona_id)
  on table public.conversation_reader_personas to authenticated;
grant all on table public.conversation_reader_personas to service_role;
