-- The rolling summary of a conversation that outgrew the chat history budget: the exchanges that
-- no longer fit the prompt, summarised, so early facts survive. The service writes it; the reader reads it.

create table public.conversation_summaries (
  user_id uuid not null references auth.users (id) on delete cascade,
  conversation_id uuid not null,
  model_id uuid not null references private.fine_tuned_models (id) on delete cascade,
  summary text not null check (char_length(summary) between 1 and 20000),
  -- The last exchange (message_order) the summary covers; later ones are sent as history.
  covers_through integer not null check (covers_through >= 1),
  updated_at timestamptz not null default now(),
  primary key (user_id, conversation_id)
);

comment on table public.conversation_summaries is
  'Rolling summary of a reader''s long conversation (the exchanges up to covers_through), written by the chat service and given to later turns. Private to the reader.';

create index conversation_summaries_model on public.conversation_summaries (model_id);

alter table public.conversation_summaries enable row level security;

create policy "Readers can read their own conversation summaries"
  on public.conversation_summaries for select to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.conversation_summaries from anon, authenticated;
grant select on table public.conversation_summaries to authenticated;
grant all on table public.conversation_summaries to service_role;
