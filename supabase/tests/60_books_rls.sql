-- Books are readable by their uploader, and by every signed-in user once the uploader marks them
-- public; chapters and passages follow their book. No client writes a book: uploads go through
-- private.replace_book on the service path. Reading progress is each reader's own.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(31);

\ir helpers/identities.psql

-- Fixtures. Users: owner 6161..., other 6262.... Books of the owner: bbbb...01 private, bbbb...02 public.
insert into auth.users (id, email) values
  ('61616161-6161-4161-8161-616161616161', 'book-owner@storyvoice.test'),
  ('62626262-6262-4262-8262-626262626262', 'book-other@storyvoice.test');

insert into public.books (id, uploaded_by, book_id, title, is_public, source_format) values
  ('bbbbbbbb-0000-4000-8000-000000000001', '61616161-6161-4161-8161-616161616161', 'pgtap-private-book', 'Private', false, 'text'),
  ('bbbbbbbb-0000-4000-8000-000000000002', '61616161-6161-4161-8161-616161616161', 'pgtap-public-book', 'Public', true, 'text');
insert into public.book_chapters (book, chapter, title, length, passage_count) values
  ('bbbbbbbb-0000-4000-8000-000000000001', 1, 'One', 10, 1),
  ('bbbbbbbb-0000-4000-8000-000000000002', 1, 'One', 10, 1);
insert into public.book_passages (book, chapter, position, content) values
  ('bbbbbbbb-0000-4000-8000-000000000001', 1, 1, 'A private passage.'),
  ('bbbbbbbb-0000-4000-8000-000000000002', 1, 1, 'A public passage.');

-- What each role holds ----------------------------------------------------------------------------

select table_privs_are('public', 'books', 'anon', array[]::name[], 'anon holds nothing on books');
select table_privs_are('public', 'book_chapters', 'anon', array[]::name[], 'anon holds nothing on book_chapters');
select table_privs_are('public', 'book_passages', 'anon', array[]::name[], 'anon holds nothing on book_passages');
select table_privs_are('public', 'reading_progress', 'anon', array[]::name[], 'anon holds nothing on reading_progress');
select table_privs_are('public', 'books', 'authenticated', array['SELECT']::name[], 'authenticated may only read books');
select table_privs_are('public', 'book_chapters', 'authenticated', array['SELECT']::name[], 'authenticated may only read chapters');
select table_privs_are('public', 'book_passages', 'authenticated', array['SELECT']::name[], 'authenticated may only read passages');
select set_eq(
  $$
    select a.attname::text from pg_catalog.pg_attribute a
    where a.attrelid = 'public.reading_progress'::regclass and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'INSERT')
  $$,
  array['book_id', 'chapter', 'percent'],
  'a reader inserts only the book and the place, never whose progress it is'
);
select function_privs_are('private', 'replace_book', array['uuid', 'text', 'text', 'text', 'boolean', 'text', 'jsonb'],
  'authenticated', array[]::text[], 'a client cannot call private.replace_book');
select function_privs_are('private', 'passages_for_turn', array['jsonb', 'uuid', 'text', 'integer', 'numeric', 'integer'],
  'authenticated', array[]::text[], 'a client cannot call private.passages_for_turn');

-- The uploader ------------------------------------------------------------------------------------

select pg_temp.authenticate_as('61616161-6161-4161-8161-616161616161');

select results_eq(
  $$ select title from public.books where book_id like 'pgtap-%' order by title $$,
  $$ values ('Private'::text), ('Public'::text) $$,
  'the uploader reads both their books'
);
select results_eq(
  $$ select content from public.book_passages where book in ('bbbbbbbb-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002') order by content $$,
  $$ values ('A private passage.'::text), ('A public passage.'::text) $$,
  'the uploader reads the passages of both'
);
select throws_ok(
  $$ insert into public.books (book_id, title, source_format) values ('pgtap-squat', 'Mine', 'text') $$,
  '42501', 'permission denied for table books',
  'even the uploader cannot write a book directly'
);
select throws_ok(
  $$ update public.book_passages set content = 'Rewritten.' where book = 'bbbbbbbb-0000-4000-8000-000000000001' $$,
  '42501', 'permission denied for table book_passages',
  'nor rewrite a passage'
);
select throws_ok(
  $$ delete from public.book_chapters where book = 'bbbbbbbb-0000-4000-8000-000000000001' $$,
  '42501', 'permission denied for table book_chapters',
  'nor delete a chapter'
);

-- Another signed-in user --------------------------------------------------------------------------

select pg_temp.authenticate_as('62626262-6262-4262-8262-626262626262');

select results_eq(
  $$ select title from public.books where book_id like 'pgtap-%' $$,
  $$ values ('Public'::text) $$,
  'another user reads the public book only'
);
select is_empty(
  $$ select 1 from public.book_chapters where book = 'bbbbbbbb-0000-4000-8000-000000000001' $$,
  'another user sees no chapter of the private book'
);
select is_empty(
  $$ select 1 from public.book_passages where book = 'bbbbbbbb-0000-4000-8000-000000000001' $$,
  'another user sees no passage of the private book'
);
select results_eq(
  $$ select content from public.book_passages where book = 'bbbbbbbb-0000-4000-8000-000000000002' $$,
  $$ values ('A public passage.'::text) $$,
  'another user reads the public book''s passages'
);

select lives_ok(
  $$ insert into public.reading_progress (book_id, chapter, percent) values ('pgtap-public-book', 3, 40) $$,
  'a reader records their place'
);
select results_eq(
  $$ select user_id, chapter from public.reading_progress where book_id = 'pgtap-public-book' $$,
  $$ values ('62626262-6262-4262-8262-626262626262'::uuid, 3) $$,
  'the place is the caller''s own'
);
select throws_ok(
  $$ insert into public.reading_progress (user_id, book_id, chapter) values ('61616161-6161-4161-8161-616161616161', 'pgtap-public-book', 1) $$,
  '42501', 'permission denied for table reading_progress',
  'nobody records a place for someone else'
);
select results_eq(
  $$ update public.reading_progress set chapter = 5 where book_id = 'pgtap-public-book' returning chapter $$,
  $$ values (5) $$,
  'a reader moves their own place'
);
select throws_ok(
  $$ update public.reading_progress set user_id = '61616161-6161-4161-8161-616161616161' where book_id = 'pgtap-public-book' $$,
  '42501', 'permission denied for table reading_progress',
  'nor hands it to someone else'
);

-- Back to the uploader: another reader's place is theirs alone.
select pg_temp.authenticate_as('61616161-6161-4161-8161-616161616161');
select is_empty(
  $$ select 1 from public.reading_progress where book_id = 'pgtap-public-book' $$,
  'the uploader does not see a reader''s place'
);
select is_empty(
  $$ update public.reading_progress set chapter = 1 where book_id = 'pgtap-public-book' returning 1 $$,
  'nor move it'
);

-- Anonymous ---------------------------------------------------------------------------------------

select pg_temp.authenticate_as_anon();
select throws_ok(
  $$ select 1 from public.books $$,
  '42501', 'permission denied for table books',
  'anon reads no book, public or not'
);
select throws_ok(
  $$ select 1 from public.book_passages $$,
  '42501', 'permission denied for table book_passages',
  'anon reads no passage'
);
select throws_ok(
  $$ select 1 from public.reading_progress $$,
  '42501', 'permission denied for table reading_progress',
  'anon reads no progress'
);

-- The service path ---------------------------------------------------------------------------------

select pg_temp.clear_authentication();
select isnt(
  private.replace_book('61616161-6161-4161-8161-616161616161', 'pgtap-private-book', 'Replaced', null, false, 'markdown',
    '[{"title": "A", "length": 5, "passages": ["First.", "Second."]}, {"title": "B", "length": 6, "passages": ["Third."]}]'::jsonb),
  null,
  'replace_book stores an upload'
);
select results_eq(
  $$ select b.title, b.chapter_count, b.passage_count,
            (select string_agg(p.chapter || '.' || p.position || ' ' || p.content, ', ' order by p.chapter, p.position)
             from public.book_passages p where p.book = b.id)
     from public.books b where b.id = 'bbbbbbbb-0000-4000-8000-000000000001' $$,
  $$ values ('Replaced'::text, 2, 3, '1.1 First., 1.2 Second., 2.1 Third.'::text) $$,
  'a second upload of the same book id replaces the book, its chapters and passages, keeping its id'
);

select * from finish();
rollback;
