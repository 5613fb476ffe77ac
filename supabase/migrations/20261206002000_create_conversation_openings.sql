-- A one-to-one conversation's opening: the persona's first words before the reader spoke (a
-- SillyTavern chat's greeting, or the greeting the app showed), kept so the prompt, the
-- conversation list and exports give back what the conversation really began with.
create table public.conversation_openings (
  conversation_id uuid primary key,
  model_id uuid not null references private.fine_tuned_models (id) on delete cascade,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  content text not null check (char_length(content) between 1 and 8000),
  created_at timestamptz not null default pg_catalog.now()
);

comment on table public.conversation_openings is
  'The persona''s opening words of a one-to-one conversation (an imported greeting, or the greeting shown when it began); private to the reader of that conversation.';

alter table public.conversation_openings enable row level security;

create policy "Readers can see the openings of their own conversations"
  on public.conversation_openings for select to authenticated
  using (user_id = (select auth.uid()));

-- An import writes its exchanges first, then the opening, in one transaction: the opening must
-- belong to a conversation the reader already holds with that model.
create policy "Readers can add the opening of their own conversation"
  on public.conversation_openings for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and exists (
      select 1 from public.fine_tuned_chats c
      where c.conversation_id = conversation_openings.conversation_id
        and c.user_id = (select auth.uid())
        and c.model_id = conversation_openings.model_id
    )
  );

create index conversation_openings_model_id_idx on public.conversation_openings (model_id);
create index conversation_openings_user_id_idx on public.conversation_openings (user_id);

revoke all on public.conversation_openings from anon, authenticated;
grant select on public.conversation_openings to authenticated;
grant insert (conversation_id, model_id, content) on public.conversation_openings to authenticated;
grant all on public.conversation_openings to service_role;
