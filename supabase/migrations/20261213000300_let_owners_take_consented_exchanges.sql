-- The owner of a public model may turn the up-rated exchanges of readers who consented into
-- `chat` examples, anonymised. Readers' chats stay unreadable to the owner: only the definer
-- function below reads them, and it answers only anonymised text, without user ids.

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

-- The words a reader may be known by: their e-mail's local part, the names in their profile, and
-- each word of those names.
create function private.reader_names(p_user_id uuid)
returns text[]
language sql
stable
security definer
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

-- Up-rated exchanges with the caller's own PUBLIC model by other readers who consented, not yet
-- taken as one of its examples, oldest first, anonymised. Answers nothing for anyone but the
-- model's owner, for a private model, or once a reader withdraws their consent.
create function private.consented_rated_exchanges(p_model_id uuid)
returns table (chat_id uuid, user_message text, ai_response text, created_at timestamptz)
language sql
stable
security definer
set search_path = ''
as $$
  select c.id,
         private.anonymise_exchange_text(c.user_message, private.reader_names(c.user_id)),
         private.anonymise_exchange_text(c.ai_response, private.reader_names(c.user_id)),
         c.created_at
  from public.fine_tuned_chats c
  join private.fine_tuned_models m on m.id = c.model_id
  join public.chat_sharing_consents s on s.user_id = c.user_id and s.share_rated_chats
  where c.model_id = p_model_id
    and m.created_by = (select auth.uid())
    and m.is_public
    and c.user_id <> (select auth.uid())
    and c.rating = 'up'
    and pg_catalog.btrim(c.ai_response) <> ''
    and not exists (
      select 1 from public.training_examples t where t.chat_id = c.id and t.model_id = p_model_id)
  order by c.created_at, c.conversation_id, c.message_order;
$$;

revoke all on function private.consented_rated_exchanges(uuid) from public, anon;
grant execute on function private.consented_rated_exchanges(uuid) to authenticated;

-- Whether the caller may link an example of their model to this exchange of another reader: the
-- same rule as above, for the insert policy (which cannot read other readers' chats itself).
create function private.may_take_consented_exchange(p_chat_id uuid, p_model_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.fine_tuned_chats c
    join private.fine_tuned_models m on m.id = c.model_id
    join public.chat_sharing_consents s on s.user_id = c.user_id and s.share_rated_chats
    where c.id = p_chat_id and c.model_id = p_model_id
      and m.created_by = (select auth.uid()) and m.is_public and c.rating = 'up');
$$;

revoke all on function private.may_take_consented_exchange(uuid, uuid) from public, anon;
grant execute on function private.may_take_consented_exchange(uuid, uuid) to authenticated;

-- The owner's own exchanges (read under their RLS), or a consenting reader's up-rated one.
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
    and (chat_id is null
      or exists (
        select 1 from public.fine_tuned_chats c
        where c.id = training_examples.chat_id and c.model_id = training_examples.model_id
      )
      or private.may_take_consented_exchange(training_examples.chat_id, training_examples.model_id))
  );
