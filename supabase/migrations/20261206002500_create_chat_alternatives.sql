-- Every reply an exchange was given (regenerated, answered to an edited message, continued) is kept
-- here, one of them chosen; the exchange's own ai_response is always the chosen one, so history,
-- transcripts and the prompt read the exchange alone. Rows exist only once a second reply exists.

create table public.chat_alternatives (
  id uuid primary key default gen_random_uuid(),
  chat_id uuid not null references public.fine_tuned_chats (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  position integer not null check (position >= 1),
  kind text not null check (kind in ('original', 'regenerate', 'edit', 'continue')),
  hint text check (char_length(hint) between 1 and 300),
  user_message text not null check (char_length(user_message) between 1 and 8000),
  ai_response text not null,
  tokens_used integer not null default 0 check (tokens_used >= 0),
  response_time_ms integer check (response_time_ms >= 0),
  used_fallback boolean not null default false,
  model_used text,
  rating text check (rating in ('up', 'down')),
  chosen boolean not null default false,
  created_at timestamptz not null default now(),
  unique (chat_id, position)
);

comment on table public.chat_alternatives is
  'Every reply of an exchange that has more than one (regenerated, edited, continued), one chosen; private to the reader who chatted.';
comment on column public.chat_alternatives.user_message is
  'The message this reply answered: an edit gives the exchange a new message, and choosing an older reply brings its message back.';
comment on column public.chat_alternatives.rating is
  'The reader''s rating of this reply, kept while another is chosen (the exchange carries the chosen reply''s rating).';

create unique index chat_alternatives_one_chosen_idx on public.chat_alternatives (chat_id) where chosen;
create index chat_alternatives_user_idx on public.chat_alternatives (user_id);

alter table public.chat_alternatives enable row level security;

create policy "Readers can read the alternatives of their own exchanges"
  on public.chat_alternatives for select
  to authenticated
  using (user_id = (select auth.uid()));

-- Only the service writes alternatives (private.store_chat_alternative and friends).
revoke all on table public.chat_alternatives from anon, authenticated;
grant select on table public.chat_alternatives to authenticated;
grant all on table public.chat_alternatives to service_role;
