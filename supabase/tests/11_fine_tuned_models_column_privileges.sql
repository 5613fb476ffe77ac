-- Clients reach fine_tuned_models through the Data API as well as through the functions, so the
-- lifecycle, counters, ownership and timestamps are protected by column privileges: a client may
-- describe a persona, never advance it. RLS cannot do this (policies see rows, not columns).
-- The privileges are checked twice, on the public view clients name and on the private table it
-- reaches with their rights, so each must hold exactly the same writable columns.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(118);

\ir helpers/identities.psql

-- Columns no client may write, with a well-typed value to try. The view computes the owner-only
-- fields (a case expression) and the chat counters (with their unfolded tallies), so Postgres
-- refuses writes to those before checking privileges.
create temporary table protected_column (name text primary key, value text not null, computed_in_view boolean not null);
insert into protected_column (name, value, computed_in_view) values
  ('status', $$'ready'$$, false),
  ('provider', $$'together'$$, false),
  ('openai_model_id', $$'ft:gpt-4o-mini:spoofed'$$, true),
  ('openai_job_id', $$'ftjob-spoofed'$$, true),
  ('training_file_id', $$'file-spoofed'$$, true),
  ('training_tokens', '0', true),
  ('estimated_cost_usd', '0', true),
  ('error', $$'spoofed'$$, true),
  ('training_data_summary', $$'spoofed'$$, false),
  ('style_description', $$'spoofed'$$, false),
  ('sample_text', $$'spoofed'$$, false),
  ('starter_prompts', $$'["spoofed"]'$$, false),
  ('chat_count', '1000000', true),
  ('created_by', $$'22222222-2222-4222-8222-222222222222'$$, false),
  ('created_at', $$'2000-01-01'$$, false),
  ('updated_at', $$'2000-01-01'$$, false),
  ('last_used_at', $$'2000-01-01'$$, true),
  ('training_started_at', $$'2000-01-01'$$, false),
  ('training_completed_at', $$'2000-01-01'$$, false),
  ('fine_tuned_model_retired_at', $$'2000-01-01'$$, false);
grant select on protected_column to authenticated;

-- The relations a client writes models through: the view it names and the table behind it.
create temporary table model_relation (name text primary key, kind text not null);
insert into model_relation (name, kind) values ('public.fine_tuned_models', 'view'), ('private.fine_tuned_models', 'table');
grant select on model_relation to authenticated;

insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'owner@storyvoice.test'),
  ('22222222-2222-4222-8222-222222222222', 'other@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, is_public, created_by) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Owner public', 'author', 'Mary Shelley',
   'privileges-test-book', true, '11111111-1111-4111-8111-111111111111');

-- What each role holds ----------------------------------------------------------------------------

select table_privs_are(
  'public', 'fine_tuned_models', 'anon', array[]::name[],
  'anon holds no table privilege on the view'
);

select table_privs_are(
  'private', 'fine_tuned_models', 'anon', array[]::name[],
  'anon holds no table privilege on the private table'
);

select is_empty(
  $$
    select a.attrelid::regclass, a.attname
    from pg_catalog.pg_attribute a
    where a.attrelid in ('public.fine_tuned_models'::regclass, 'private.fine_tuned_models'::regclass)
      and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('anon', a.attrelid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES')
  $$,
  'anon holds no column privilege on the view or the table'
);

-- Insert and update are granted per column, so they are not table privileges.
select table_privs_are(
  'public', 'fine_tuned_models', 'authenticated', array['SELECT', 'DELETE']::name[],
  'authenticated holds only SELECT and DELETE on the whole view'
);

select table_privs_are(
  'private', 'fine_tuned_models', 'authenticated', array['DELETE']::name[],
  'authenticated holds only DELETE on the whole table (SELECT is granted per column)'
);

-- The table is readable only in the columns the view shows everyone (and the popularity figure
-- the popular listing orders by): another owner's provider ids, tokens, cost and error, and the
-- live fine-tune's route, stay unreadable even were the private schema exposed.
select set_eq(
  $$
    select a.attname::text
    from pg_catalog.pg_attribute a
    where a.attrelid = 'private.fine_tuned_models'::regclass
      and a.attnum > 0 and not a.attisdropped
      and not pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'SELECT')
  $$,
  array['openai_job_id', 'openai_model_id', 'training_file_id', 'training_tokens', 'estimated_cost_usd',
        'error', 'fine_tune_provider', 'fine_tune_base_model'],
  'authenticated may select every column of the table but the owner-only and routing ones'
);

select set_eq(
  $$
    select a.attname::text
    from pg_catalog.pg_attribute a
    where a.attrelid = 'private.model_owner_fields'::regclass
      and a.attnum > 0 and not a.attisdropped
      and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'SELECT')
  $$,
  array['model_id', 'created_by', 'openai_job_id', 'openai_model_id', 'training_file_id', 'training_tokens',
        'estimated_cost_usd', 'error'],
  'the owner-only columns are readable in their mirror, whose RLS shows each owner their own rows only'
);

select table_privs_are(
  'private', 'fine_tuned_models', 'service_role',
  array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']::name[],
  'the service role holds every table privilege on the table (the lifecycle is written there)'
);

select set_eq(
  format(
    $$
      select a.attname::text
      from pg_catalog.pg_attribute a
      where a.attrelid = %L::regclass
        and a.attnum > 0 and not a.attisdropped
        and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'INSERT')
    $$,
    r.name
  ),
  array[]::text[],
  format('authenticated may insert no column: models are created on the service path (%s)', r.kind)
)
from model_relation r
order by r.name;

select set_eq(
  format(
    $$
      select a.attname::text
      from pg_catalog.pg_attribute a
      where a.attrelid = %L::regclass
        and a.attnum > 0 and not a.attisdropped
        and pg_catalog.has_column_privilege('authenticated', a.attrelid, a.attnum, 'UPDATE')
    $$,
    r.name
  ),
  array['name', 'description', 'is_public', 'greeting', 'voice', 'alternate_greetings'],
  format('authenticated may update exactly name, description, is_public, greeting, voice and alternate_greetings (%s)', r.kind)
)
from model_relation r
order by r.name;

-- The view shows every client column but the idempotency key; chat_mode is computed on the table.
select hasnt_column('public', 'fine_tuned_models', 'entity_key', 'the view does not show entity_key');
select col_is_null('private', 'fine_tuned_models', 'sample_text', 'sample_text is an optional column');
select col_type_is('private', 'fine_tuned_models', 'entity_id', 'uuid', 'entity_id is a uuid');
select col_type_is('private', 'fine_tuned_models', 'training_data_summary', 'text', 'training_data_summary is a sentence');
select ok(
  not pg_catalog.has_column_privilege('authenticated', 'private.fine_tuned_models', 'chat_mode', 'INSERT, UPDATE')
  and exists (select 1 from pg_catalog.pg_trigger t
              where t.tgrelid = 'private.fine_tuned_models'::regclass and t.tgname = 'set_chat_mode'),
  'chat_mode is kept by a trigger: no client writes it'
);

-- What a signed-in client can and cannot write --------------------------------------------------

select pg_temp.authenticate_as('11111111-1111-4111-8111-111111111111');

select throws_ok(
  $$
    insert into public.fine_tuned_models (name, type, entity_id, entity_name, book_id, book_info,
      description, is_public, quick_tune, base_model)
    values ('Victor', 'character', 'dddddddd-0000-4000-8000-000000000001', 'Victor Frankenstein',
      'privileges-test-book', '{"title": "Frankenstein"}', 'The creator', true, true, 'gpt-4o-mini')
  $$,
  '42501', 'permission denied for view fine_tuned_models',
  'a client may not insert even the describing columns through the view (the create functions do, after the quota)'
);

select throws_ok(
  $$
    insert into private.fine_tuned_models (name, type, entity_id, entity_name, book_id, book_info,
      description, is_public, quick_tune, base_model)
    values ('Elizabeth', 'character', 'dddddddd-0000-4000-8000-000000000002', 'Elizabeth Lavenza',
      'privileges-test-book', '{"title": "Frankenstein"}', 'The cousin', false, true, 'gpt-4o-mini')
  $$,
  '42501', 'permission denied for table fine_tuned_models',
  'nor on the table the view reaches'
);

-- Through the view: permission denied, or for the owner-only fields the view's own refusal.
select throws_ok(
  format(
    'insert into public.fine_tuned_models (name, type, entity_name, book_id, %I) '
    'values (''Spoofed'', ''author'', %L, ''privileges-test-book'', %s)',
    p.name, 'Entity ' || p.name, p.value
  ),
  case when p.computed_in_view then '0A000' else '42501' end,
  case when p.computed_in_view then format('cannot insert into column "%s" of view "fine_tuned_models"', p.name)
       else 'permission denied for view fine_tuned_models' end,
  format('a client cannot insert %s through the view', p.name)
)
from protected_column p
order by p.name;

select throws_ok(
  format(
    'update public.fine_tuned_models set %I = %s where id = ''aaaaaaaa-0000-4000-8000-000000000001''',
    p.name, p.value
  ),
  case when p.computed_in_view then '0A000' else '42501' end,
  case when p.computed_in_view then format('cannot update column "%s" of view "fine_tuned_models"', p.name)
       else 'permission denied for view fine_tuned_models' end,
  format('the owner cannot update %s through the view', p.name)
)
from protected_column p
order by p.name;

select throws_ok(
  format(
    'insert into private.fine_tuned_models (name, type, entity_name, book_id, %I) '
    'values (''Spoofed'', ''author'', %L, ''privileges-test-book'', %s)',
    p.name, 'Entity ' || p.name, p.value
  ),
  '42501', 'permission denied for table fine_tuned_models',
  format('a client cannot insert %s on the table', p.name)
)
from protected_column p
order by p.name;

select throws_ok(
  format(
    'update private.fine_tuned_models set %I = %s where id = ''aaaaaaaa-0000-4000-8000-000000000001''',
    p.name, p.value
  ),
  '42501', 'permission denied for table fine_tuned_models',
  format('the owner cannot update %s on the table', p.name)
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
  'the owner may update name, description and is_public through the view'
);

select results_eq(
  $$
    update private.fine_tuned_models set description = 'Described on the table'
    where id = 'aaaaaaaa-0000-4000-8000-000000000001'
    returning description
  $$,
  $$ values ('Described on the table'::text) $$,
  'the owner may update the same columns on the table'
);

-- The greeting is the persona's own words: its owner may rewrite it, on the view and the table.
select results_eq(
  $$
    update public.fine_tuned_models set greeting = 'Good evening, reader.'
    where id = 'aaaaaaaa-0000-4000-8000-000000000001'
    returning greeting
  $$,
  $$ values ('Good evening, reader.'::text) $$,
  'the owner may rewrite the greeting through the view'
);

select results_eq(
  $$
    update private.fine_tuned_models set greeting = 'Good morning, reader.'
    where id = 'aaaaaaaa-0000-4000-8000-000000000001'
    returning greeting
  $$,
  $$ values ('Good morning, reader.'::text) $$,
  'the owner may rewrite the greeting on the table'
);

select throws_ok(
  $$ update public.fine_tuned_models set greeting = '' where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  '23514', null,
  'an empty greeting is refused'
);

-- The voice and the alternate greetings are the owner's choices too, within their checks.
select results_eq(
  $$
    update public.fine_tuned_models set voice = 'nova', alternate_greetings = array['Hello again.', 'Good night.']
    where id = 'aaaaaaaa-0000-4000-8000-000000000001'
    returning voice, alternate_greetings
  $$,
  $$ values ('nova'::text, array['Hello again.', 'Good night.']::text[]) $$,
  'the owner may choose the voice and rewrite the alternate greetings through the view'
);

select throws_ok(
  $$ update public.fine_tuned_models set voice = 'not a voice!' where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  '23514', null,
  'a voice that is not a voice name is refused'
);

select throws_ok(
  $$ update public.fine_tuned_models set alternate_greetings = array[repeat('x', 4001)] where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  '23514', null,
  'an alternate greeting over 4,000 characters is refused'
);

select throws_ok(
  $$ update public.fine_tuned_models set alternate_greetings = array[''] where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  '23514', null,
  'an empty alternate greeting is refused'
);

select throws_ok(
  $$ update private.fine_tuned_models set alternate_greetings = array_fill('Hello'::text, array[21]) where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  '23514', null,
  'more than 20 alternate greetings are refused'
);

-- Another user sees the public model but changes nothing on either relation.
select pg_temp.authenticate_as('22222222-2222-4222-8222-222222222222');

select is_empty(
  $$ update public.fine_tuned_models set name = 'Hijacked' where id = 'aaaaaaaa-0000-4000-8000-000000000001' returning id $$,
  'the other user updates nothing through the view (0 rows)'
);

select is_empty(
  $$ update public.fine_tuned_models set greeting = 'Hijacked' where id = 'aaaaaaaa-0000-4000-8000-000000000001' returning id $$,
  'the other user cannot rewrite the greeting (0 rows)'
);

select is_empty(
  $$ update public.fine_tuned_models set voice = 'onyx' where id = 'aaaaaaaa-0000-4000-8000-000000000001' returning id $$,
  'the other user cannot change the voice (0 rows)'
);

select is_empty(
  $$ update private.fine_tuned_models set name = 'Hijacked' where id = 'aaaaaaaa-0000-4000-8000-000000000001' returning id $$,
  'the other user updates nothing on the table (0 rows)'
);

select throws_ok(
  $$ update private.fine_tuned_models set status = 'failed' where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  '42501', 'permission denied for table fine_tuned_models',
  'the other user cannot write a lifecycle column on the table either'
);

select is_empty(
  $$ delete from private.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001' returning id $$,
  'the other user deletes nothing on the table (0 rows)'
);

-- Anon names neither.
select pg_temp.authenticate_as_anon();

select throws_ok(
  $$ update public.fine_tuned_models set status = 'ready' $$,
  '42501', 'permission denied for view fine_tuned_models',
  'anon cannot write a lifecycle column through the view'
);

select throws_ok(
  $$ update private.fine_tuned_models set status = 'ready' $$,
  '42501', 'permission denied for schema private',
  'anon cannot reach the table'
);

select pg_temp.clear_authentication();

select results_eq(
  $$ select name, status from private.fine_tuned_models where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  $$ values ('Renamed'::text, 'pending'::text) $$,
  'only the owner''s permitted edits reached the model'
);

select * from finish();
rollback;
