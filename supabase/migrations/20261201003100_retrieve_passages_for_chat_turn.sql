-- Retrieval for a chat turn, in the same statement as begin_chat_turn: the passages most relevant
-- to the message, up to the reader's place only, so nothing past it can reach a prompt.

-- The caller's text of the model's book (its owner's upload of the model's book_id, else the
-- caller's own, else the oldest public one; all under the caller's RLS), the place (the request's
-- `p_chapter`/`p_percent`, else the reader's stored progress) and up to `p_limit` passages:
-- those sharing a word with the message (among the 256 passages before the place, else anywhere
-- before it), the 32 nearest the place ranked (the persona's name weighs in), else, when none
-- does, the passages just before the place. Answers null when the
-- caller can read no text of the book (a plain chat), `reached` null and no passages when the
-- reader has no place set.
-- Invoker rights: it switches to the caller itself, like private.begin_chat_turn, to choose the
-- book and read the place; service only.
create or replace function private.passages_for_turn(
  p_claims jsonb,
  p_model_id uuid,
  p_message text,
  p_chapter integer,
  p_percent numeric,
  p_limit integer
)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  caller uuid := (p_claims ->> 'sub')::uuid;
  target record;
  has_book boolean;
  last_position integer;
  chapter_title text;
  message_query tsquery;
  matched bigint;
  rank_query tsquery;
  found_passages jsonb;
begin
  perform pg_catalog.set_config('request.jwt.claims', p_claims::text, true);
  perform pg_catalog.set_config('role', 'authenticated', true);

  select b.id, b.title, b.blurb, b.chapter_count, m.entity_name,
         coalesce(p_chapter, r.chapter) as reached_chapter,
         case when p_chapter is not null then p_percent else r.percent end as reached_percent,
         case when p_chapter is not null then 'request' else 'progress' end as source
  into target
  from private.fine_tuned_models m
  join public.books b on b.book_id = m.book_id
  left join public.reading_progress r on r.user_id = caller and r.book_id = m.book_id
  where m.id = p_model_id
  order by b.uploaded_by = m.created_by desc, b.uploaded_by = caller desc, b.created_at
  limit 1;
  has_book := found;

  -- The book is the caller's to read (chosen above under RLS, with the reader's own place): its
  -- chapters and passages are read by its id from here on, with the function's own rights. Under
  -- RLS the search could not use the index (`@@` is not leakproof: it would wait for the policy).
  perform pg_catalog.set_config('role', 'none', true);

  if not has_book then
    return null;
  end if;
  if target.reached_chapter is null then
    return jsonb_build_object(
      'book', jsonb_build_object('id', target.id, 'title', target.title, 'blurb', target.blurb),
      'reached', null, 'passages', '[]'::jsonb);
  end if;

  -- The last passage of the reached chapter the reader has read: all of it without a percent;
  -- past the last chapter (no such row), every chapter before it, which is the whole book.
  select c.title,
         case when target.reached_percent is null then c.passage_count
              else pg_catalog.floor(c.passage_count * target.reached_percent / 100)::integer end
  into chapter_title, last_position
  from public.book_chapters c
  where c.book = target.id and c.chapter = target.reached_chapter;
  last_position := coalesce(last_position, 0);

  -- Any of the message's words (already normalised lexemes, quoted as such): a question's words
  -- rarely all occur in one passage.
  select pg_catalog.string_agg('''' || l || '''', ' | ')::tsquery
  into message_query
  from (select l from pg_catalog.unnest(pg_catalog.tsvector_to_array(
          pg_catalog.to_tsvector('english'::regconfig, p_message))) l
        where pg_catalog.strpos(l, '''') = 0 and pg_catalog.strpos(l, '\') = 0
        limit 32) words;

  if message_query is not null then
    rank_query := message_query || pg_catalog.plainto_tsquery('english'::regconfig, target.entity_name);
    -- The matches nearest the reader's place, at most 32, ranked (the persona's name weighs in):
    -- bounded work per turn however common the words are. First among the 256 passages just
    -- before the place (the (book, chapter, position) index read backwards), stopping at the 32nd
    -- match, where a search-index plan would read and sort every match in the book.
    select pg_catalog.count(*),
           jsonb_agg(jsonb_build_object('id', m.id, 'chapter', m.chapter, 'position', m.position, 'content', m.content)
                     order by m.n) filter (where m.n <= p_limit)
    into matched, found_passages
    from (select c.*, pg_catalog.row_number() over (order by c.rank desc, c.chapter desc, c.position desc) as n
          from (select w.id, w.chapter, w.position, w.content, pg_catalog.ts_rank(w.search, rank_query) as rank
                from (select p.id, p.chapter, p.position, p.content, p.search from public.book_passages p
                      where p.book = target.id
                        -- What the reader has read: chapter < reached, or the reached chapter up to
                        -- its last passage read. A row comparison, so it is a range of that index.
                        and (p.chapter, p.position) <= (target.reached_chapter, last_position)
                      order by p.chapter desc, p.position desc
                      limit 256) w
                where w.search @@ message_query
                limit 32) c) m;
    -- None there: the words are rare, and the search index finds their few matches in all the
    -- reader has read.
    if matched = 0 then
      select jsonb_agg(jsonb_build_object('id', m.id, 'chapter', m.chapter, 'position', m.position, 'content', m.content)
                       order by m.rank desc, m.chapter desc, m.position desc)
      into found_passages
      from (select c.*
            from (select p.id, p.chapter, p.position, p.content, pg_catalog.ts_rank(p.search, rank_query) as rank
                  from public.book_passages p
                  where p.book = target.id and p.search @@ message_query
                    and (p.chapter, p.position) <= (target.reached_chapter, last_position)
                  order by p.chapter desc, p.position desc
                  limit 32) c
            order by c.rank desc, c.chapter desc, c.position desc
            limit p_limit) m;
    end if;
  end if;

  if found_passages is null then
    -- Nothing matched: what the reader has just read.
    select jsonb_agg(jsonb_build_object('id', t.id, 'chapter', t.chapter, 'position', t.position,
                                        'content', t.content) order by t.chapter, t.position)
    into found_passages
    from (
      select p.id, p.chapter, p.position, p.content
      from public.book_passages p
      where p.book = target.id and (p.chapter, p.position) <= (target.reached_chapter, last_position)
      order by p.chapter desc, p.position desc
      limit p_limit
    ) t;
  end if;

  return jsonb_build_object(
    'book', jsonb_build_object('id', target.id, 'title', target.title, 'blurb', target.blurb),
    'reached', jsonb_build_object('chapter', target.reached_chapter, 'percent', target.reached_percent,
                                  'title', chapter_title, 'source', target.source,
                                  'chapters', target.chapter_count),
    'passages', coalesce(found_passages, '[]'::jsonb));
end;
$$;

revoke all on function private.passages_for_turn(jsonb, uuid, text, integer, numeric, integer) from public, anon, authenticated;
grant execute on function private.passages_for_turn(jsonb, uuid, text, integer, numeric, integer) to service_role;
