-- Where each reader is in each book: chat retrieves passages only up to there, so a persona never
-- speaks of what the reader has not reached. Keyed by the free-text book_id the models carry, so
-- the place holds whichever upload of the book a persona's text comes from.
create table public.reading_progress (
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  book_id text not null check (char_length(book_id) between 1 and 200),
  chapter integer not null check (chapter between 1 and 100000),
  percent numeric(5, 2) check (percent between 0 and 100),
  updated_at timestamptz not null default now(),
  primary key (user_id, book_id)
);

comment on table public.reading_progress is
  'The chapter (and how far into it, percent) each reader has reached in each book; private to the reader.';
comment on column public.reading_progress.percent is
  'How far into the chapter, 0-100; null: the whole chapter is read.';

alter table public.reading_progress enable row level security;

create policy "Readers can read their own progress"
  on public.reading_progress for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Readers can record their own progress"
  on public.reading_progress for insert
  to authenticated
  with check (user_id = (select auth.uid()));

create policy "Readers can move their own progress"
  on public.reading_progress for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

-- The reader is always the caller (the default); only the place and its time are written.
revoke all on table public.reading_progress from anon, authenticated;
grant select on table public.reading_progress to authenticated;
grant insert (book_id, chapter, percent) on table public.reading_progress to authenticated;
grant update (chapter, percent, updated_at) on table public.reading_progress to authenticated;
