-- Readers may let the owners of public models learn from their up-rated replies. Off unless the
-- reader turns it on; only the reader reads or changes their own setting.

-- One row per reader who has chosen; no row is the same as `false`.
create table public.chat_sharing_consents (
  user_id uuid primary key default auth.uid() references auth.users (id) on delete cascade,
  share_rated_chats boolean not null default false,
  updated_at timestamptz not null default now()
);

comment on table public.chat_sharing_consents is
  'Whether a reader lets owners of public models turn their up-rated exchanges into anonymised training examples.';

alter table public.chat_sharing_consents enable row level security;

create policy "Users can read their own chat sharing consent"
  on public.chat_sharing_consents for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Users can record their own chat sharing consent"
  on public.chat_sharing_consents for insert
  to authenticated
  with check (user_id = (select auth.uid()));

create policy "Users can change their own chat sharing consent"
  on public.chat_sharing_consents for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

-- Keeps updated_at true whoever writes the row.
create function private.touch_chat_sharing_consent()
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

revoke all on function private.touch_chat_sharing_consent() from public, anon, authenticated;

create trigger touch_chat_sharing_consent
  before insert or update on public.chat_sharing_consents
  for each row execute function private.touch_chat_sharing_consent();

-- The reader decides only the setting; the row's owner and time are the database's.
revoke all on table public.chat_sharing_consents from anon, authenticated;
grant select on table public.chat_sharing_consents to authenticated;
grant insert (share_rated_chats), update (share_rated_chats) on table public.chat_sharing_consents to authenticated;
grant all on table public.chat_sharing_consents to service_role;
