-- Popularity for `GET /fine-tune-models?sort=popular`: each persona's chats of the last 30 days,
-- kept on the model row (refreshed hourly by pg_cron) so the listing reads an index in order
-- instead of counting chats. Not in the public view.
alter table private.fine_tuned_models
  add column recent_chat_count integer not null default 0 check (recent_chat_count >= 0);

-- The refresh is bookkeeping, not an edit, like a chat's counter bump: the edit trigger skips it.
drop trigger set_updated_at on private.fine_tuned_models;
create trigger set_updated_at
  before update on private.fine_tuned_models
  for each row
  when (old.chat_count is not distinct from new.chat_count
        and old.recent_chat_count is not distinct from new.recent_chat_count)
  execute function private.set_updated_at_on_edit('chat_count', 'last_used_at', 'entity_key', 'chat_mode', 'recent_chat_count');

-- Popular first: public personas, and each owner's own (the two branches of the listing).
create index fine_tuned_models_public_popular_idx
  on private.fine_tuned_models (recent_chat_count desc, chat_count desc, id desc) where is_public;
create index fine_tuned_models_owner_popular_idx
  on private.fine_tuned_models (created_by, recent_chat_count desc, chat_count desc, id desc);

-- Chats by time, carrying what the popularity refresh counts (an index-only scan of 30 days).
create index fine_tuned_chats_created_idx
  on public.fine_tuned_chats (created_at) include (model_id, user_id);
-- A persona's chats by time, with who chatted: its 7- and 30-day figures for the analytics. It
-- also serves what the model_id index served (the cascade on delete), which it replaces.
create index fine_tuned_chats_model_created_idx
  on public.fine_tuned_chats (model_id, created_at) include (user_id);
drop index public.fine_tuned_chats_model_idx;
-- Every persona chatted with lately, most first (the analytics' popular personas, public or not).
create index fine_tuned_models_recent_chats_idx
  on private.fine_tuned_models (recent_chat_count desc, chat_count desc, id desc) where recent_chat_count > 0;

-- Sets every persona's recent_chat_count to its chats of the last 30 days and answers how many
-- changed. It writes only the rows whose figure changed (those chatted with in the last hour, or
-- whose chats of 30 days ago dropped out), and skips a row a chat is committing on (it is counted
-- again next hour), so it never waits for a chat; the first run after this migration sets them all.
create or replace function private.refresh_model_popularity()
returns integer
language plpgsql
security invoker
set search_path = ''
as $$
declare
  changed integer;
begin
  with recent as (
    select c.model_id, count(*)::integer as chats
    from public.fine_tuned_chats c
    where c.created_at > pg_catalog.now() - interval '30 days'
    group by c.model_id
  ),
  wanted as (
    select m.id, coalesce(r.chats, 0) as chats
    from private.fine_tuned_models m
    left join recent r on r.model_id = m.id
    where m.recent_chat_count is distinct from coalesce(r.chats, 0)
  ),
  locked as (
    select m.id from private.fine_tuned_models m
    where m.id in (select w.id from wanted w)
    for update of m skip locked
  )
  update private.fine_tuned_models m
  set recent_chat_count = w.chats
  from wanted w
  where m.id = w.id and m.id in (select l.id from locked l);
  get diagnostics changed = row_count;
  return changed;
end;
$$;

revoke all on function private.refresh_model_popularity() from public, anon, authenticated;
grant execute on function private.refresh_model_popularity() to service_role;

-- Every hour where pg_cron is installed (elsewhere: call it by hand or from any scheduler).
do $$
begin
  if to_regnamespace('cron') is not null then
    perform cron.schedule('refresh-model-popularity', '17 * * * *', 'select private.refresh_model_popularity()');
  end if;
end
$$;
