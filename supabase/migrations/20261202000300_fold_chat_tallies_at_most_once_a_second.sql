-- A chat rewrites its model's row at most once a second.
--
-- Folding a chat into private.fine_tuned_models is never a HOT update: chat_count is in the
-- popularity indexes, so each fold writes a new version of a wide row and an entry in each of its
-- indexes. Done for every chat, that was about a third of storing an exchange at one client
-- (measured with pgbench: 1.76 vs 1.27 ms per store_chat_exchange + record_spend). Now a chat
-- whose model was folded within the last second (its stored last_used_at is that recent, since
-- every fold of a chat moves it to about now) adds a tally, as a chat does when the row is locked,
-- and the next chat after that second folds them all. The row as the Data API shows it already
-- adds the tallies, so chat_count stays exact in every answer; the table's own column (what the
-- popularity sort reads) trails by at most a second of chats on a busy model, and by at most a
-- minute (the fold-chat-tallies schedule) once its chats stop.
--
-- Chats recorded with an earlier time (imported transcripts) do not move last_used_at to now, so
-- they fold as before. Deletes (which wait for the row) and the scheduled fold always fold.

create or replace function private.add_model_chats(p_model_id uuid, p_chats integer, p_at timestamptz, p_wait boolean)
returns boolean
language plpgsql
set search_path = ''
as $$
declare
  folded_chats integer;
  folded_last timestamptz;
begin
  if p_chats > 0 and not p_wait then
    -- Folded within the last second: count this chat as a tally (a read, no row lock taken).
    perform 1 from private.fine_tuned_models m
    where m.id = p_model_id and m.last_used_at > pg_catalog.now() - interval '1 second';
    if found then
      insert into private.model_chat_tallies (model_id, chats, last_chat_at) values (p_model_id, p_chats, p_at);
      return false;
    end if;
  end if;

  if p_wait then
    perform 1 from private.fine_tuned_models m where m.id = p_model_id for no key update;
  else
    perform 1 from private.fine_tuned_models m where m.id = p_model_id for no key update skip locked;
  end if;
  if not found then
    -- Locked by another writer (or the model is gone: then the tally goes with it, by cascade).
    if p_chats > 0 then
      insert into private.model_chat_tallies (model_id, chats, last_chat_at)
      select p_model_id, p_chats, p_at
      where exists (select 1 from private.fine_tuned_models m where m.id = p_model_id);
    end if;
    return false;
  end if;

  with folded as (
    delete from private.model_chat_tallies t where t.model_id = p_model_id
    returning t.chats, t.last_chat_at
  )
  select coalesce(sum(f.chats), 0), max(f.last_chat_at) into folded_chats, folded_last from folded f;

  update private.fine_tuned_models m
  set chat_count = greatest(m.chat_count + folded_chats + p_chats, 0),
      -- greatest() skips nulls: a delete or a fold passes no time of its own.
      last_used_at = greatest(m.last_used_at, p_at, folded_last)
  where m.id = p_model_id;
  return true;
end;
$$;

revoke all on function private.add_model_chats(uuid, integer, timestamptz, boolean) from public, anon, authenticated;
grant execute on function private.add_model_chats(uuid, integer, timestamptz, boolean) to service_role;
