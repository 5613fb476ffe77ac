-- A training example taken from a chat remembers its exchange, so turning rated chats into
-- examples twice adds each exchange once. An owner may link an example only to an exchange they
-- can read (their own chats) with the same model.
alter table public.training_examples
  add column chat_id uuid references public.fine_tuned_chats (id) on delete set null;

comment on column public.training_examples.chat_id is
  'The exchange a `chat` example was taken from (null for other sources, or once the chat is gone).';

-- One example per exchange and model; also the index for the foreign key's cascades.
create unique index training_examples_one_per_chat_idx on public.training_examples (chat_id, model_id);

alter table public.training_examples add constraint training_examples_chat_source_check
  check (chat_id is null or source = 'chat');

-- The chat subquery runs under the caller's RLS: only the caller's own exchanges qualify.
drop policy "Owners can add training examples to their models" on public.training_examples;
create policy "Owners can add training examples to their models"
  on public.training_examples for insert
  to authenticated
  with check (
    source in ('user', 'chat')
    and exists (
      select 1 from public.fine_tuned_models m
      where m.id = training_examples.model_id and m.created_by = (select auth.uid())
    )
    and (chat_id is null or exists (
      select 1 from public.fine_tuned_chats c
      where c.id = training_examples.chat_id and c.model_id = training_examples.model_id
    ))
  );

grant insert (chat_id) on table public.training_examples to authenticated;
