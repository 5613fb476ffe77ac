-- Keeps fine_tuned_models.chat_count and last_used_at in step with fine_tuned_chats. Definer
-- rights, since a reader may not update someone else's public model; a deferred trigger, so the
-- model row is locked only while the chat commits.
create or replace function private.bump_model_chat_stats()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    update public.fine_tuned_models m
    set chat_count = m.chat_count + 1,
        last_used_at = greatest(m.last_used_at, new.created_at)
    where m.id = new.model_id;
  else
    update public.fine_tuned_models m
    set chat_count = greatest(m.chat_count - 1, 0)
    where m.id = old.model_id;
  end if;
  return null;
end;
$$;

revoke all on function private.bump_model_chat_stats() from public, anon, authenticated;

create constraint trigger bump_model_chat_stats
  after insert or delete on public.fine_tuned_chats
  deferrable initially deferred
  for each row execute function private.bump_model_chat_stats();
