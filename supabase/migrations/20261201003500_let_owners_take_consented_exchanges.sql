-- The owner of a public model may turn the up-rated exchanges of readers who consented into
-- `chat` examples, anonymised. Readers' chats stay unreadable to the owner (RLS and the insert
-- policy are unchanged): only the service connection reads them, and writes only anonymised text.

-- Replaces what would identify the reader in an exchange: e-mail addresses, phone numbers, the
-- reader's own names (whole words, any case) and names they introduce themselves with.
create function private.anonymise_exchange_text(p_text text, p_names text[])
returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
  result text := p_text;
  candidate text;
begin
  result := pg_catalog.regexp_replace(result, '[[:alnum:]._%+-]+@[[:alnum:].-]+\.[[:alpha:]]{2,}', '[email]', 'g');
  result := pg_catalog.regexp_replace(result, '\+?[0-9][0-9 ().-]{6,}[0-9]', '[phone]', 'g');
  result := pg_catalog.regexp_replace(result,
    '([Mm]y name is|[Ii] am called|[Ii]''m called|[Cc]all me) [[:upper:]][[:alpha:]''-]*( [[:upper:]][[:alpha:]''-]*)?',
    '\1 [name]', 'g');
  foreach candidate in array coalesce(p_names, '{}'::text[]) loop
    if candidate is not null and pg_catalog.char_length(candidate) >= 2 then
      result := pg_catalog.regexp_replace(result,
        '\m' || pg_catalog.regexp_replace(candidate, '([].^$*+?(){}|\\[-])', '\\\1', 'g') || '\M', '[name]', 'gi');
    end if;
  end loop;
  return result;
end;
$$;

comment on function private.anonymise_exchange_text(text, text[]) is
  'Blanks e-mail addresses, phone numbers, self-introduced names and the given names in a reader''s words.';

revoke all on function private.anonymise_exchange_text(text, text[]) from public, anon, authenticated;
grant execute on function private.anonymise_exchange_text(text, text[]) to service_role;

-- The words a reader may be known by: their e-mail's local part, the names in their profile, and
-- each word of those names.
create function private.reader_names(p_user_id uuid)
returns text[]
language sql
stable
security invoker
set search_path = ''
as $$
  with named as (
    select n.value as name
    from auth.users u,
         lateral (values
           (pg_catalog.split_part(u.email, '@', 1)),
           (u.raw_user_meta_data ->> 'full_name'),
           (u.raw_user_meta_data ->> 'name'),
           (u.raw_user_meta_data ->> 'display_name'),
           (u.raw_user_meta_data ->> 'user_name'),
           (u.raw_user_meta_data ->> 'preferred_username')) as n (value)
    where u.id = p_user_id and n.value is not null
  )
  -- Longest first, so a whole name is blanked before its words are.
  select coalesce(pg_catalog.array_agg(w.word order by pg_catalog.char_length(w.word) desc, w.word), '{}'::text[])
  from (
    select name as word from named
    union
    select pg_catalog.regexp_split_to_table(name, '[^[:alnum:]'']+') from named
  ) w
  where pg_catalog.char_length(w.word) >= 2;
$$;

revoke all on function private.reader_names(uuid) from public, anon, authenticated;
grant execute on function private.reader_names(uuid) to service_role;

-- Turns the up-rated exchanges with the owner's PUBLIC model by other readers who consented into
-- the model's `chat` examples, anonymised, oldest first, after its last example, each exchange once
-- (an exchange whose example is stored is skipped); answers what it added. Nothing for anyone but
-- the model's owner, for a private model, or from a reader who withdrew their consent. Readers'
-- chats stay unreadable to the owner: only the service connection calls this (it reads readers'
-- names in auth.users), with the caller it verified, and the owner sees only the anonymised
-- examples (which keep `chat_id`, no user id). Invoker rights: no client role may execute it.
create function private.take_consented_rated_exchanges(p_owner_id uuid, p_model_id uuid)
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

revoke all on function private.take_consented_rated_exchanges(uuid, uuid) from public, anon, authenticated;
grant execute on function private.take_consented_rated_exchanges(uuid, uuid) to service_role;
