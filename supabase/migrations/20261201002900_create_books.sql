-- Books a persona comes from, uploaded by a user, split into chapters and passages that chat
-- retrieves from with full-text search (pgvector is not packaged everywhere). Keyed by uploader and
-- book_id, so nobody can take a popular book_id from anyone else.

-- A composite GIN index (book, search) needs GIN operator classes for plain types.
create extension if not exists btree_gin with schema extensions;

-- One upload of a book by one user; readable by its uploader, and by everyone once the uploader
-- marks it public (asserting the text is public domain or theirs to share).
create table public.books (
  id uuid primary key default gen_random_uuid(),
  uploaded_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  book_id text not null check (char_length(book_id) between 1 and 200),
  title text not null check (char_length(title) between 1 and 300),
  blurb text check (char_length(blurb) <= 4000),
  is_public boolean not null default false,
  source_format text not null check (source_format in ('text', 'markdown', 'epub')),
  chapter_count integer not null default 0 check (chapter_count >= 0),
  passage_count integer not null default 0 check (passage_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (uploaded_by, book_id)
);

comment on table public.books is
  'Uploaded book texts, one per uploader and book_id; private to the uploader unless marked public.';
comment on column public.books.blurb is
  'What the book says of itself without spoilers: what a reader with no progress set is told.';

-- The uploads of a book id, oldest first: a chat turn finds the persona's text by it (the owner's,
-- the reader's own, else the oldest public one), and a plain chat's lookup stays one index probe.
create index books_book_id_idx on public.books (book_id, created_at);

alter table public.books enable row level security;

create policy "Users can read their own and public books"
  on public.books for select
  to authenticated
  using (uploaded_by = (select auth.uid()) or is_public);

-- Chapters in reading order, from 1.
create table public.book_chapters (
  book uuid not null references public.books (id) on delete cascade,
  chapter integer not null check (chapter >= 1),
  title text not null check (char_length(title) between 1 and 300),
  length integer not null check (length >= 0),
  passage_count integer not null check (passage_count >= 0),
  primary key (book, chapter)
);

comment on table public.book_chapters is
  'A book''s chapters in order: title, length in characters and passage count; readable like the book.';
comment on column public.book_chapters.length is 'Characters of the chapter''s text.';

alter table public.book_chapters enable row level security;

create policy "Users can read the chapters of books they can read"
  on public.book_chapters for select
  to authenticated
  using (exists (
    select 1 from public.books b
    where b.id = book and (b.uploaded_by = (select auth.uid()) or b.is_public)));

-- Passages of a few hundred tokens, never across chapters, with their place in the book; chat
-- retrieves them by full-text search, only up to where the reader has reached.
create table public.book_passages (
  id bigint generated always as identity primary key,
  book uuid not null,
  chapter integer not null,
  position integer not null check (position >= 1),
  content text not null check (char_length(content) between 1 and 8000),
  search tsvector generated always as (to_tsvector('english'::regconfig, content)) stored,
  foreign key (book, chapter) references public.book_chapters (book, chapter) on delete cascade,
  unique (book, chapter, position)
);

comment on table public.book_passages is
  'Passages of a book in order (chapter, position from 1 within it); readable like the book.';
comment on column public.book_passages.search is
  'The passage''s lexemes (English), for full-text retrieval.';

-- One GIN index over (book, lexemes): a search inside one book intersects the book's entries with
-- the query's, so it costs the same whatever the number of other books.
create index book_passages_search_idx on public.book_passages using gin (book, search);

alter table public.book_passages enable row level security;

create policy "Users can read the passages of books they can read"
  on public.book_passages for select
  to authenticated
  using (exists (
    select 1 from public.books b
    where b.id = book and (b.uploaded_by = (select auth.uid()) or b.is_public)));

-- Clients read books; they are written only through private.replace_book on the service path,
-- which keeps the counts and the chapters and passages of one upload consistent.
revoke all on table public.books, public.book_chapters, public.book_passages from anon, authenticated;
grant select on table public.books, public.book_chapters, public.book_passages to authenticated;

-- Writes `p_uploader`'s upload of a book in one transaction: the book row (created, or replaced
-- with its chapters and passages), then every chapter and its passages in order. `p_chapters` is
-- `[{ "title": text, "length": int, "passages": [text, ...] }, ...]`. Answers the book's id, or
-- null when the uploader no longer exists. Service only: the caller has verified the uploader.
create or replace function private.replace_book(
  p_uploader uuid,
  p_book_id text,
  p_title text,
  p_blurb text,
  p_is_public boolean,
  p_source_format text,
  p_chapters jsonb
)
returns uuid
language plpgsql
security invoker
set search_path = ''
as $$
declare
  stored_id uuid;
begin
  if not exists (select 1 from auth.users u where u.id = p_uploader) then
    return null;
  end if;

  insert into public.books as b (uploaded_by, book_id, title, blurb, is_public, source_format,
                                 chapter_count, passage_count)
  values (p_uploader, p_book_id, p_title, p_blurb, p_is_public, p_source_format,
          pg_catalog.jsonb_array_length(p_chapters),
          (select coalesce(sum(pg_catalog.jsonb_array_length(c -> 'passages')), 0)
           from pg_catalog.jsonb_array_elements(p_chapters) c))
  on conflict (uploaded_by, book_id) do update
    set title = excluded.title, blurb = excluded.blurb, is_public = excluded.is_public,
        source_format = excluded.source_format, chapter_count = excluded.chapter_count,
        passage_count = excluded.passage_count, updated_at = pg_catalog.now()
  returning b.id into stored_id;

  -- The passages go with their chapters (cascade).
  delete from public.book_chapters where book = stored_id;

  insert into public.book_chapters (book, chapter, title, length, passage_count)
  select stored_id, c.ordinality::integer, c.value ->> 'title', (c.value ->> 'length')::integer,
         pg_catalog.jsonb_array_length(c.value -> 'passages')
  from pg_catalog.jsonb_array_elements(p_chapters) with ordinality c;

  insert into public.book_passages (book, chapter, position, content)
  select stored_id, c.ordinality::integer, p.ordinality::integer, p.value
  from pg_catalog.jsonb_array_elements(p_chapters) with ordinality c,
       pg_catalog.jsonb_array_elements_text(c.value -> 'passages') with ordinality p;

  return stored_id;
end;
$$;

revoke all on function private.replace_book(uuid, text, text, text, boolean, text, jsonb) from public, anon, authenticated;
grant execute on function private.replace_book(uuid, text, text, text, boolean, text, jsonb) to service_role;
