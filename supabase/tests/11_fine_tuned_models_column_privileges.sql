-- Clients reach fine_tuned_models through the Data API as well as through the functions, so the
-- lifecycle, counters, ownership and timestamps are protected by column privileges: a client may
-- describe a persona, never advance it. RLS cannot do this (policies see rows, not columns).
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(28);

\ir helpers/identities.psql

-- Columns no client may write, with a well-typed value to try.
create temporary table protected_column (name text primary key, value text not null);
insert into protected_column (name, value) values
  ('status', $$'ready'$$),
  ('openai_model_id', $$'ft:gpt-4o-mini:spoofed'$$),
  ('openai_job_id', $$'ftjob-spoofed'$$),
  ('chat_count', '1000000'),
  ('training_tokens', '0'),
  ('created_by', $$'22222222-2222-4222-8222-222222222222'$$),
  ('created_at', $$'2000-01-01'$$),
  ('updated_at', $$'2000-01-01'$$),
  ('last_used_at', $$'2000-01-01'$$),
  ('training_completed_at', $$'2000-01-01'$$);
grant select on protected_column to authenticated;

insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

insert into public.fine_tuned_models (id, name, type, entity_name, book_id, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Owner private', 'author', 'Mary Shelley',
   'privileges-test-book', '11111111-1111-4111-8111-111111111111');

-- What each role holds ----------------------------------------------------------------------------

select table_privs_are(
  'public', 'fine_tuned_models', 'anon', array[]::name[],
  'anon holds no table privilege on fine_tuned_models'
);

select is_empty(
  $$
    select a.attname
    from pg_catalog.pg_attribute a
    where a.attrelid = 'public.fine_tuned_models'::regclass
      and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('anon', a.attrelid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES')
  $$,
  'anon holds no column privilege on fine_tuned_models'
);

-- Insert and update are granted per column, so they are not table privileges.
select table_privs_are(
  'public', 'fine_tuned_models', 'authenticated', array['SELECT', 'DELETE']::name[],
  'authenticated holds only SELECT and DELETE on the whole table'
);

select table_privs_are(
  'public', 'fine_tuned_models', 'service_role',
  array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']::name[],
  'the service role holds every table privilege (the lifecycle is written there)'
);

select set_eq(
  $$
    select a.attname::text
    from pg_catalog.pg_attribute a
    where a.attrelid = 'public.fine_tuned_models'::regclass
      and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'INSERT')
  $$,
  array['name', 'type', 'entity_id', 'entity_name', 'book_id', 'book_info', 'description',
        'is_public', 'quick_tune', 'base_model'],
  'authenticated may insert exactly the columns that describe the requested persona'
);

select set_eq(
  $$
    select a.attname::text
    from pg_catalog.pg_attribute a
    where a.attrelid = 'public.fine_tuned_models'::regclass
      and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'UPDATE')
  $$,
  array['name', 'description', 'is_public'],
  'authenticated may update exactly name, description and is_public'
);

-- What a signed-in client can and cannot write --------------------------------------------------

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select lives_ok(
  $$
    insert into public.fine_tuned_models (name, type, entity_id, entity_name, book_id, book_info,
      description, is_public, quick_tune, base_model)
    values ('Victor', 'character', 'victor-frankenstein', 'Victor Frankenstein',
      'privileges-test-book', '{"title": "Frankenstein"}', 'The creator', true, true, 'gpt-4o-mini')
  $$,
  'a client may insert every granted column at once'
);

select throws_ok(
  format(
    'insert into public.fine_tuned_models (name, type, entity_name, book_id, %I) '
    'values (''Spoofed'', ''author'', %L, ''privileges-test-book'', %s)',
    p.name, 'Entity ' || p.name, p.value
  ),
  '42501', 'permission denied for table fine_tuned_models',
  format('a client cannot insert %s', p.name)
)
from protected_column p
order by p.name;

select throws_ok(
  format(
    'update public.fine_tuned_models set %I = %s where id = ''aaaaaaaa-0000-4000-8000-000000000001''',
    p.name, p.value
  ),
  '42501', 'permission denied for table fine_tuned_models',
  format('the owner cannot update %s', p.name)
)
from protected_column p
order by p.name;

select results_eq(
  $$
    update public.fine_tuned_models
    set name = 'Renamed', description = 'Described', is_public = true
    where id = 'aaaaaaaa-0000-4000-8000-000000000001'
    returning name, description, is_public
  $$,
  $$ values ('Renamed'::text, 'Described'::text, true) $$,
  'the owner may update name, description and is_public'
);

select pg_temp.clear_authentication();

select * from finish();
rollback;
