-- A stored exchange is one the service answered (private.store_chat_exchange), so nobody can put
-- words in a persona's mouth, its chat_count or its owner's training examples. Clients may insert
-- only `imported` exchanges, which never count as the model's words.

alter table public.fine_tuned_chats add column imported boolean not null default false;

comment on column public.fine_tuned_chats.imported is
  'True for an exchange imported from a transcript (or written by a client): not the model''s words, so never counted in chat_count or popularity, never taken as a training example.';

-- Transcripts imported before this column named themselves so; they leave the counters too.
update public.fine_tuned_chats set imported = true where model_used = 'imported';
update private.fine_tuned_models m
set chat_count = greatest(m.chat_count - i.chats, 0)
from (select c.model_id, count(*)::integer as chats
      from public.fine_tuned_chats c where c.imported group by c.model_id) i
where m.id = i.model_id;

drop policy "Users can add chats to models they can see" on public.fine_tuned_chats;

-- The model subquery runs under the caller's RLS: only models they may see.
create policy "Users can import chats to models they can see"
  on public.fine_tuned_chats for insert
  to authenticated
  with check (
    imported
    and user_id = (select auth.uid())
    and exists (select 1 from private.fine_tuned_models m where m.id = fine_tuned_chats.model_id)
  );

revoke insert on table public.fine_tuned_chats from anon, authenticated;
grant insert (model_id, conversation_id, user_message, ai_response, model_used, imported)
  on table public.fine_tuned_chats to authenticated;

-- Only answered exchanges count (and uncount) in the model's chat_count and last_used_at.
drop trigger bump_model_chat_stats on public.fine_tuned_chats;

create constraint trigger bump_model_chat_stats_on_insert
  after insert on public.fine_tuned_chats
  deferrable initially deferred
  for each row
  when (not new.imported)
  execute function private.bump_model_chat_stats();

create constraint trigger bump_model_chat_stats_on_delete
  after delete on public.fine_tuned_chats
  deferrable initially deferred
  for each row
  when (not old.imported)
  execute function private.bump_model_chat_stats();

-- The popularity refresh reads answered exchanges only, by time (an index-only scan of 30 days).
drop index public.fine_tuned_chats_created_idx;
create index fine_tuned_chats_answered_created_idx
  on public.fine_tuned_chats (created_at) include (model_id, user_id) where not imported;

-- As in 20261201002700_rank_models_by_popularity, counting answered exchanges only.
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
    where c.created_at > pg_catalog.now() - interval '30 days' and not c.imported
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

comment on function private.refresh_model_popularity() is
  'Sets each persona''s recent_chat_count to its answered (not imported) exchanges of the last 30 days; hourly.';

revoke all on function private.refresh_model_popularity() from public, anon, authenticated;
grant execute on function private.refresh_model_popularity() to service_role;

-- As in 20261201001500_prepare_chat_turn_in_one_statement, but the row is written with the
-- service's rights once the user's RLS has found the model (clients may not insert answered
-- exchanges); the owner is the claims' user. A model the user may not see is refused as the
-- policy would refuse it (42501).
create or replace function private.store_chat_exchange(
  p_claims jsonb,
  p_model_id uuid,
  p_conversation_id uuid,
  p_user_message text,
  p_ai_response text,
  p_tokens_used integer,
  p_response_time_ms integer,
  p_used_fallback boolean,
  p_model_used text
)
returns integer
language plpgsql
security invoker
set search_path = ''
as $$
declare
  visible boolean;
  stored_order integer;
begin
  perform pg_catalog.set_config('request.jwt.claims', p_claims::text, true);
  perform pg_catalog.set_config('role', 'authenticated', true);
  visible := exists (select 1 from private.fine_tuned_models m where m.id = p_model_id);
  perform pg_catalog.set_config('role', 'none', true);
  if not visible then
    raise exception 'model % is not one the user may chat with', p_model_id using errcode = '42501';
  end if;

  insert into public.fine_tuned_chats
    (user_id, model_id, conversation_id, user_message, ai_response, tokens_used, response_time_ms,
     used_fallback, model_used)
  values ((p_claims ->> 'sub')::uuid, p_model_id, p_conversation_id, p_user_message, p_ai_response,
          p_tokens_used, p_response_time_ms, p_used_fallback, p_model_used)
  returning message_order into stored_order;
  return stored_order;
end;
$$;

comment on function private.store_chat_exchange(jsonb, uuid, uuid, text, text, integer, integer, boolean, text) is
  'Stores one answered exchange for the claims'' user on a model their RLS lets them see; answers its message_order. Service only: the only writer of counted exchanges.';

revoke all on function private.store_chat_exchange(jsonb, uuid, uuid, text, text, integer, integer, boolean, text) from public, anon, authenticated;
grant execute on function private.store_chat_exchange(jsonb, uuid, uuid, text, text, integer, integer, boolean, text) to service_role;

-- As in 20261201003500_let_owners_take_consented_exchanges, taking answered exchanges only.
create or replace function private.take_consented_rated_exchanges(p_owner_id uuid, p_model_id uuid)
returns setof public.training_examples
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if not exists (
    select 1 from private.fine_tuned_models m
    where m.id = p_model_id and m.created_by = p_owner_id and m.is_public
  ) then
    return;
  end if;
  -- The same per-model lock as the owner's own adds: no position is taken twice.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(p_model_id::text, 0));
  return query
  with next as (
    select coalesce(max(t.position) + 1, 0) as position from public.training_examples t where t.model_id = p_model_id
  ), rated as (
    select c.id, c.user_id, c.user_message, c.ai_response,
           row_number() over (order by c.created_at, c.conversation_id, c.message_order) - 1 as index
    from public.fine_tuned_chats c
    join public.chat_sharing_consents s on s.user_id = c.user_id and s.share_rated_chats
    where c.model_id = p_model_id
      and c.user_id <> p_owner_id
      and c.rating = 'up'
      and not c.imported
      and pg_catalog.btrim(c.ai_response) <> ''
      and not exists (select 1 from public.training_examples t where t.chat_id = c.id and t.model_id = p_model_id)
  ), added as (
    insert into public.training_examples (model_id, source, topic, position, messages, chat_id)
    select p_model_id, 'chat', null, (select n.position from next n) + r.index,
           pg_catalog.jsonb_build_array(
             pg_catalog.jsonb_build_object('role', 'user',
               'content', private.anonymise_exchange_text(r.user_message, private.reader_names(r.user_id))),
             pg_catalog.jsonb_build_object('role', 'assistant',
               'content', private.anonymise_exchange_text(r.ai_response, private.reader_names(r.user_id)))),
           r.id
    from rated r
    returning *
  )
  select * from added a order by a.position;
end;
$$;

comment on function private.take_consented_rated_exchanges(uuid, uuid) is
  'Turns consenting readers'' up-rated, answered (not imported) exchanges with the owner''s public model into anonymised chat examples. Service only.';

revoke all on function private.take_consented_rated_exchanges(uuid, uuid) from public, anon, authenticated;
grant execute on function private.take_consented_rated_exchanges(uuid, uuid) to service_role;
