-- Everything a client role (anon, authenticated) can reach in the project's schemas (public, private,
-- analytics), with each privilege, against an explicit list: a new table, view, sequence or function,
-- or a new grant, fails here until someone has looked at what clients get from it and added its
-- line. Extensions' own objects (pgTAP, btree_gin, pg_cron) are theirs and not listed.
-- To review a change: run the failing query (the "Extra" lines are what clients newly hold), decide,
-- and edit the lists below (one line per object and privilege; columns of a column grant sorted).
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(4);

-- What clients hold: `object | kind | role | privilege`, a column grant as `privilege (columns)`.
create temporary view client_reach as
with client (rolname) as (values ('anon'), ('authenticated')),
ours (classid, objid) as (
  select d.classid, d.objid from pg_catalog.pg_depend d where d.deptype = 'e'
),
user_schema as (
  select n.oid, n.nspname from pg_catalog.pg_namespace n
  where n.nspname in ('public', 'private', 'analytics')
    and not exists (select 1 from ours e where e.classid = 'pg_catalog.pg_namespace'::regclass and e.objid = n.oid)
),
relation as (
  select c.oid, s.nspname || '.' || c.relname as name,
         case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view'
                        when 'f' then 'foreign table' else 'table' end as kind,
         c.relkind
  from pg_catalog.pg_class c join user_schema s on s.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
    and not exists (select 1 from ours e where e.classid = 'pg_catalog.pg_class'::regclass and e.objid = c.oid)
),
reach (rolname, kind, name, privilege) as (
  select r.rolname, 'schema', s.nspname, 'usage'
  from client r, user_schema s
  where pg_catalog.has_schema_privilege(r.rolname, s.oid, 'USAGE')
  union all
  select r.rolname, c.kind, c.name, lower(p.privilege)
  from client r, relation c,
       unnest(case when c.relkind = 'S' then array['USAGE', 'SELECT', 'UPDATE']
                   else array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] end) p (privilege)
  where case when c.relkind = 'S' then pg_catalog.has_sequence_privilege(r.rolname, c.oid, p.privilege)
             else pg_catalog.has_table_privilege(r.rolname, c.oid, p.privilege) end
  union all
  -- Privileges granted on some columns only: the columns, sorted.
  select r.rolname, c.kind, c.name,
         lower(p.privilege) || ' (' || string_agg(a.attname::text, ', ' order by a.attname) || ')'
  from client r, relation c,
       unnest(array['SELECT', 'INSERT', 'UPDATE', 'REFERENCES']) p (privilege),
       pg_catalog.pg_attribute a
  where c.relkind <> 'S' and a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    and not pg_catalog.has_table_privilege(r.rolname, c.oid, p.privilege)
    and pg_catalog.has_column_privilege(r.rolname, c.oid, a.attnum, p.privilege)
  group by r.rolname, c.kind, c.name, p.privilege
  union all
  select r.rolname, 'function', f.oid::regprocedure::text, 'execute'
  from client r, pg_catalog.pg_proc f join user_schema s on s.oid = f.pronamespace
  where pg_catalog.has_function_privilege(r.rolname, f.oid, 'EXECUTE')
    and not exists (select 1 from ours e where e.classid = 'pg_catalog.pg_proc'::regclass and e.objid = f.oid)
)
select r.name || ' | ' || r.kind || ' | ' || r.rolname || ' | ' || r.privilege from reach r;

select set_eq(
  'select * from client_reach',
  array[
    'private | schema | authenticated | usage',
    'private.fine_tuned_models | table | authenticated | delete',
    'private.fine_tuned_models | table | authenticated | select (alternate_greetings, base_model, book_id, book_info, chat_count, chat_mode, created_at, created_by, description, entity_id, entity_key, entity_name, fine_tuned_model_retired_at, greeting, id, is_public, last_used_at, name, provider, quick_tune, recent_chat_count, sample_text, starter_prompts, status, style_description, training_completed_at, training_data_summary, training_started_at, type, updated_at, voice)',
    'private.fine_tuned_models | table | authenticated | update (alternate_greetings, description, greeting, is_public, name, voice)',
    'private.model_chat_tallies | table | authenticated | select',
    'private.model_owner_fields | table | authenticated | select',
    'public | schema | anon | usage',
    'public | schema | authenticated | usage',
    'public.book_chapters | table | authenticated | select',
    'public.book_passages | table | authenticated | select',
    'public.books | table | authenticated | select',
    'public.cast_batch_members | table | authenticated | insert (batch_id, error, model_id, name, outcome, position, type)',
    'public.cast_batch_members | table | authenticated | select',
    'public.cast_batches | table | authenticated | insert (book_id, book_info, id, quick_tune)',
    'public.cast_batches | table | authenticated | select',
    'public.chat_alternatives | table | authenticated | select',
    'public.chat_sharing_consents | table | authenticated | insert (share_rated_chats)',
    'public.chat_sharing_consents | table | authenticated | select',
    'public.chat_sharing_consents | table | authenticated | update (share_rated_chats)',
    'public.conversation_openings | table | authenticated | insert (content, conversation_id, model_id)',
    'public.conversation_openings | table | authenticated | select',
    'public.conversation_reader_personas | table | authenticated | delete',
    'public.conversation_reader_personas | table | authenticated | insert (conversation_id, reader_persona_id)',
    'public.conversation_reader_personas | table | authenticated | select',
    'public.conversation_reader_personas | table | authenticated | update (reader_persona_id)',
    'public.conversation_summaries | table | authenticated | select',
    'public.conversation_titles | table | authenticated | insert (conversation_id, title)',
    'public.conversation_titles | table | authenticated | select',
    'public.conversation_titles | table | authenticated | update (title, updated_at)',
    'public.fine_tuned_chats | table | authenticated | insert (ai_response, conversation_id, imported, model_id, model_used, user_message)',
    'public.fine_tuned_chats | table | authenticated | select',
    'public.fine_tuned_chats | table | authenticated | update (rating)',
    'public.fine_tuned_models | view | authenticated | delete',
    'public.fine_tuned_models | view | authenticated | select',
    'public.fine_tuned_models | view | authenticated | update (alternate_greetings, description, greeting, is_public, name, voice)',
    'public.group_conversation_participants | table | authenticated | insert (conversation_id, model_id, position)',
    'public.group_conversation_participants | table | authenticated | select',
    'public.group_conversations | table | authenticated | insert (id)',
    'public.group_conversations | table | authenticated | select',
    'public.group_messages | table | authenticated | insert (content, conversation_id, role)',
    'public.group_messages | table | authenticated | select',
    'public.group_messages | table | authenticated | update (rating)',
    'public.model_card_pictures | table | authenticated | insert (model_id, png)',
    'public.model_card_pictures | table | authenticated | select',
    'public.plans | table | authenticated | select',
    'public.reader_memories | table | authenticated | delete',
    'public.reader_memories | table | authenticated | insert (model_id, source_chat_id, text)',
    'public.reader_memories | table | authenticated | select',
    'public.reader_memories | table | authenticated | update (text)',
    'public.reader_personas | table | authenticated | delete',
    'public.reader_personas | table | authenticated | insert (description, is_default, name, plays_model_id)',
    'public.reader_personas | table | authenticated | select',
    'public.reader_personas | table | authenticated | update (description, is_default, name, plays_model_id)',
    'public.reading_progress | table | authenticated | insert (book_id, chapter, percent)',
    'public.reading_progress | table | authenticated | select',
    'public.reading_progress | table | authenticated | update (chapter, percent, updated_at)',
    'public.training_examples | table | authenticated | delete',
    'public.training_examples | table | authenticated | insert (chat_id, messages, model_id, position, source, topic)',
    'public.training_examples | table | authenticated | select',
    'public.training_examples | table | authenticated | update (messages, position, topic)',
    'public.training_runs | table | authenticated | select'
  ],
  'clients reach exactly the reviewed objects, with exactly the reviewed privileges'
);

-- No client holds any privilege on any sequence, in any schema (ids are the database's to assign).
select is_empty(
  $$
    select n.nspname, c.relname, r.rolname
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    cross join (values ('anon'), ('authenticated')) r (rolname)
    where c.relkind = 'S'
      and c.relpersistence <> 't' -- this test's own (pgTAP's temporary counters)
      and pg_catalog.has_sequence_privilege(r.rolname, c.oid, 'USAGE, SELECT, UPDATE')
  $$,
  'no client role holds any privilege on any sequence in any schema'
);

-- New sequences in public start without client privileges (the default privileges of the role
-- that runs the migrations; Supabase's own defaults grant every privilege).
select is_empty(
  $$
    select d.defaclrole::regrole, a.grantee::regrole, a.privilege_type
    from pg_catalog.pg_default_acl d
    cross join lateral pg_catalog.aclexplode(d.defaclacl) a
    where d.defaclobjtype = 'S'
      and d.defaclrole = current_user::regrole
      and (d.defaclnamespace = 0 or d.defaclnamespace = 'public'::regnamespace)
      and (a.grantee = 0 or a.grantee in ('anon'::regrole, 'authenticated'::regrole))
  $$,
  'the migrations'' role grants clients nothing on future sequences'
);

-- Every object of the project's schemas, reached by clients or not: an object added anywhere in
-- them is reviewed here first (and, if clients reach it, in the list above).
select set_eq(
  $$
with ext (classid, objid) as (select d.classid, d.objid from pg_catalog.pg_depend d where d.deptype = 'e'),
user_schema as (
  select n.oid, n.nspname from pg_catalog.pg_namespace n
  where n.nspname in ('public', 'private', 'analytics')
    and not exists (select 1 from ext e where e.classid = 'pg_catalog.pg_namespace'::regclass and e.objid = n.oid)
)
select case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view'
                      when 'f' then 'foreign table' else 'table' end || ' ' || s.nspname || '.' || c.relname
from pg_catalog.pg_class c join user_schema s on s.oid = c.relnamespace
where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
  and not exists (select 1 from ext e where e.classid = 'pg_catalog.pg_class'::regclass and e.objid = c.oid)
union all
select 'function ' || f.oid::regprocedure::text
from pg_catalog.pg_proc f join user_schema s on s.oid = f.pronamespace
where not exists (select 1 from ext e where e.classid = 'pg_catalog.pg_proc'::regclass and e.objid = f.oid)
  $$,
  array[
    'function private.add_model_chats(uuid,integer,timestamp with time zone,boolean)',
    'function private.anonymise_exchange_text(text,text[])',
    'function private.assign_group_message_order()',
    'function private.assign_message_order()',
    'function private.begin_chat_turn(uuid,jsonb,uuid,uuid,integer,integer)',
    'function private.bump_model_chat_stats()',
    'function private.chat_quota_of(uuid,integer)',
    'function private.choose_chat_alternative(jsonb,uuid,uuid)',
    'function private.check_alternate_greetings()',
    'function private.delete_own_model(jsonb,uuid)',
    'function private.deployment_spend_limit_reached(numeric)',
    'function private.deployment_spend_today()',
    'function private.describe_training_data(jsonb,integer)',
    'function private.fold_chat_tallies()',
    'function private.invoke_edge_function(text,jsonb,integer)',
    'function private.may_start_training(uuid,integer,integer)',
    'function private.lock_own_exchange(jsonb,uuid)',
    'function private.mirror_model_owner_fields()',
    'function private.model_price(text,text)',
    'function private.passages_for_turn(jsonb,uuid,text,integer,numeric,integer)',
    'function private.plan_of(uuid)',
    'function private.plan_quotas(uuid,integer,integer,integer,integer)',
    'function private.raise_spend_alerts(numeric,numeric[],numeric[])',
    'function private.reader_names(uuid)',
    'function private.record_hosting_spend(text,text,boolean,numeric)',
    'function private.record_spend(jsonb)',
    'function private.record_training_spend()',
    'function private.refresh_model_popularity()',
    'function private.remember_fine_tune_provider()',
    'function private.replace_book(uuid,text,text,text,boolean,text,jsonb)',
    'function private.reserve_trainings(uuid,integer,integer,integer,integer,integer)',
    'function private.rewind_conversation(jsonb,uuid)',
    'function private.set_chat_mode()',
    'function private.set_updated_at_on_edit()',
    'function private.show_run_on_model()',
    'function private.start_first_training_run()',
    'function private.started_trainings_of(uuid)',
    'function private.store_chat_alternative(jsonb,uuid,text,text,text,text,integer,integer,boolean,text)',
    'function private.store_chat_exchange(jsonb,uuid,uuid,text,text,integer,integer,boolean,text)',
    'function private.take_consented_rated_exchanges(uuid,uuid)',
    'function private.touch_chat_sharing_consent()',
    'function private.touch_reader_memory()',
    'function private.user_daily_spend(uuid,integer)',
    'sequence public.book_passages_id_seq',
    'table private.daily_chat_usage',
    'table private.daily_model_usage',
    'table private.fine_tuned_models',
    'table private.model_catalogue',
    'table private.model_chat_tallies',
    'table private.model_owner_fields',
    'table private.model_prices',
    'table private.openai_webhook_deliveries',
    'table private.provider_leftovers',
    'table private.spend_alerts',
    'table private.spend_ledger',
    'table private.training_access_refusals',
    'table private.user_plans',
    'table public.book_chapters',
    'table public.book_passages',
    'table public.books',
    'table public.cast_batch_members',
    'table public.cast_batches',
    'table public.chat_alternatives',
    'table public.chat_sharing_consents',
    'table public.conversation_openings',
    'table public.conversation_reader_personas',
    'table public.conversation_summaries',
    'table public.conversation_titles',
    'table public.fine_tuned_chats',
    'table public.group_conversation_participants',
    'table public.group_conversations',
    'table public.group_messages',
    'table public.model_card_pictures',
    'table public.plans',
    'table public.reader_memories',
    'table public.reader_personas',
    'table public.reading_progress',
    'table public.training_examples',
    'table public.training_runs',
    'view analytics.daily_usage',
    'view analytics.fine_tunes_left_at_providers',
    'view analytics.popular_models',
    'view analytics.spend_per_model',
    'view analytics.spend_per_provider',
    'view analytics.spend_per_user',
    'view analytics.training_access_refusals',
    'view analytics.training_outcomes',
    'view analytics.training_queue',
    'view private.fine_tune_shutdowns',
    'view private.personas_near_shutdown',
    'view public.fine_tuned_models'
  ],
  'the project''s schemas hold exactly the reviewed tables, views, sequences and functions'
);

select * from finish();
rollback;
