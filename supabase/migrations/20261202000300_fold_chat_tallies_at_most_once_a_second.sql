-- A chat rewrites its model's row at most once a second (the update is never HOT and was a third of
-- storing an exchange): chats within a second of the last fold add a tally. Imported chats, deletes
-- and the scheduled fold always fold.

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
