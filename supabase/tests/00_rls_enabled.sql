-- The Data API exposes every table in public, and the public view of models reaches
-- private.fine_tuned_models with the caller's rights: each needs row level security and a policy
-- per operation it allows, all scoped to signed-in users. These guards fail when a table, view or
-- policy is added without them.
begin;
create extension if not exists pgtap with schema extensions;
-- Hosted projects have extensions on the search_path; a plain cluster may not.
set local search_path = public, extensions;

select plan(38);

-- Adding a table must be deliberate: it needs RLS, policies and its own per-role tests.
select tables_are(
  'public',
  array['fine_tuned_chats', 'training_runs', 'training_examples', 'group_conversations',
        'group_conversation_participants', 'group_messages', 'cast_batches', 'cast_batch_members',
        'chat_sharing_consents', 'plans', 'books', 'book_chapters', 'book_passages', 'reading_progress',
        'model_card_pictures', 'conversation_openings', 'reader_memories', 'reader_personas', 'conversation_reader_personas',
        'conversation_summaries', 'conversation_titles', 'chat_alternatives'],
  'public holds exactly the tables whose policies are tested'
);

select views_are(
  'public',
  array['fine_tuned_models'],
  'public holds exactly one view: the models as clients see them'
);

select tables_are(
  'private',
  array['fine_tuned_models', 'openai_webhook_deliveries', 'daily_chat_usage', 'model_catalogue',
        'model_prices', 'spend_ledger', 'spend_alerts', 'user_plans', 'daily_model_usage', 'model_chat_tallies',
        'model_owner_fields', 'training_access_refusals', 'provider_leftovers'],
  'private holds exactly the tables whose privileges are tested'
);

select is_empty(
  $$
    select c.relname
    from pg_catalog.pg_class c
    where c.relnamespace = 'public'::regnamespace
      and c.relkind in ('r', 'p')
      and not c.relrowsecurity
  $$,
  'every table in public has row level security enabled'
);

-- Private tables too: the one behind the public view is reached with the caller's rights, and the
-- others hold no client privilege (50_private_schema), so a privilege granted by mistake opens no row.
select is_empty(
  $$
    select c.relname
    from pg_catalog.pg_class c
    where c.relnamespace = 'private'::regnamespace
      and c.relkind in ('r', 'p')
      and not c.relrowsecurity
  $$,
  'every table in private has row level security enabled'
);

select ok(
  (select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'private.fine_tuned_models'::regclass),
  'private.fine_tuned_models has row level security enabled'
);

-- RLS without a policy denies everything silently; a table the clients use must say who may do what.
select is_empty(
  $$
    select t.tablename
    from pg_catalog.pg_tables t
    where t.schemaname = 'public'
      and not exists (
        select 1 from pg_catalog.pg_policies p
        where p.schemaname = t.schemaname and p.tablename = t.tablename
      )
  $$,
  'every table in public has at least one policy'
);

-- Views run with their owner's rights (so past RLS) unless security_invoker; materialized views
-- cannot have RLS at all.
select is_empty(
  $$
    select c.relname
    from pg_catalog.pg_class c
    where c.relnamespace = 'public'::regnamespace
      and (
        c.relkind = 'm'
        or (c.relkind = 'v'
            and not coalesce('security_invoker=true' = any (c.reloptions), false)
            and not coalesce('security_invoker=on' = any (c.reloptions), false))
      )
  $$,
  'public has no view that bypasses row level security'
);

select ok(
  (select 'security_invoker=true' = any (c.reloptions)
   from pg_catalog.pg_class c where c.oid = 'public.fine_tuned_models'::regclass),
  'the public.fine_tuned_models view is security_invoker, so the table''s RLS applies to the caller'
);

-- Policies are for signed-in users only: anon has no table privileges, and a policy "to public"
-- would quietly widen what any future grant allows.
select is_empty(
  $$
    select p.tablename, p.policyname
    from pg_catalog.pg_policies p
    where p.schemaname in ('public', 'private')
      and p.roles <> array['authenticated']::name[]
  $$,
  'every policy in public and private applies to authenticated only'
);

-- A restrictive policy or a "for all" policy would change the meaning of the per-operation ones.
select is_empty(
  $$
    select p.tablename, p.policyname
    from pg_catalog.pg_policies p
    where p.schemaname in ('public', 'private')
      and (p.permissive <> 'PERMISSIVE' or p.cmd = 'ALL')
  $$,
  'every policy in public and private is permissive and names a single operation'
);

select policies_are(
  'private', 'fine_tuned_models',
  array[
    'Users can read their own and public models',
    'Owners can update their models',
    'Owners can delete their models'
  ],
  'fine_tuned_models has a read, an update and a delete policy: models are created on the service path only'
);

select policy_cmd_is(
  'private', 'fine_tuned_models', 'Users can read their own and public models', 'select',
  '"Users can read their own and public models" applies to SELECT'
);
select policy_cmd_is(
  'private', 'fine_tuned_models', 'Owners can update their models', 'update',
  '"Owners can update their models" applies to UPDATE'
);
select policy_cmd_is(
  'private', 'fine_tuned_models', 'Owners can delete their models', 'delete',
  '"Owners can delete their models" applies to DELETE'
);

-- Chats have no update or delete policy on purpose: history is not edited by clients.
select policies_are(
  'public', 'fine_tuned_chats',
  array[
    'Users can read their own chats',
    'Users can import chats to models they can see',
    'Users can rate their own exchanges'
  ],
  'fine_tuned_chats has a read, an insert and a rating policy, nothing else'
);

select policy_cmd_is(
  'public', 'fine_tuned_chats', 'Users can read their own chats', 'select',
  '"Users can read their own chats" applies to SELECT'
);
select policy_cmd_is(
  'public', 'fine_tuned_chats', 'Users can import chats to models they can see', 'insert',
  '"Users can import chats to models they can see" applies to INSERT (answered exchanges are the service''s)'
);
select policy_cmd_is(
  'public', 'fine_tuned_chats', 'Users can rate their own exchanges', 'update',
  '"Users can rate their own exchanges" applies to UPDATE (the rating column alone is granted)'
);

-- Group conversations, like chats, are read and added to by their user, never edited.
select policies_are(
  'public', 'group_conversations',
  array['Users can read their own group conversations', 'Users can start their own group conversations'],
  'group_conversations has a read and an insert policy, nothing else'
);
select policies_are(
  'public', 'group_conversation_participants',
  array['Users can read the participants of their group conversations',
        'Users can add personas they can see to their group conversations'],
  'group_conversation_participants has a read and an insert policy, nothing else'
);
select policies_are(
  'public', 'group_messages',
  array['Users can read their own group messages', 'Users can add their own messages to their group conversations',
        'Users can rate the replies in their own group conversations'],
  'group_messages has a read, an insert and a rating policy, nothing else'
);

-- Plans are a price list: read by signed-in users, written by the service only.
select policies_are(
  'public', 'plans',
  array['Signed-in users can read the plans'],
  'plans has a read policy, nothing else'
);
select policy_cmd_is(
  'public', 'plans', 'Signed-in users can read the plans', 'select',
  '"Signed-in users can read the plans" applies to SELECT'
);

-- Runs are written by the service only: one read policy, for the model's owner. Examples are the
-- owner's to read, add, edit and delete (one policy per operation).
select policies_are(
  'public', 'training_runs',
  array['Owners can read the training runs of their models'],
  'training_runs has a read policy, nothing else'
);
select policy_cmd_is(
  'public', 'training_runs', 'Owners can read the training runs of their models', 'select',
  '"Owners can read the training runs of their models" applies to SELECT'
);

select policies_are(
  'public', 'training_examples',
  array['Owners can read the training examples of their models',
        'Owners can add training examples to their models',
        'Owners can edit the training examples of their models',
        'Owners can delete the training examples of their models'],
  'training_examples has a policy per operation, for the owner'
);
select policy_cmd_is(
  'public', 'training_examples', 'Owners can read the training examples of their models', 'select',
  '"Owners can read the training examples of their models" applies to SELECT'
);

-- A card's picture: whoever may see the model reads it, its owner adds it; it goes with the model.
select policies_are(
  'public', 'model_card_pictures',
  array['Readers can see the card picture of a model they may see',
        'Owners can add the card picture of their own models'],
  'model_card_pictures has a read and an add policy, nothing else'
);
select policy_cmd_is(
  'public', 'model_card_pictures', 'Owners can add the card picture of their own models', 'insert',
  '"Owners can add the card picture of their own models" applies to INSERT'
);

-- A conversation's opening: its reader reads it and adds it (an import); it goes with the conversation's model.
select policies_are(
  'public', 'conversation_openings',
  array['Readers can see the openings of their own conversations',
        'Readers can add the opening of their own conversation'],
  'conversation_openings has a read and an add policy, nothing else'
);
select policy_cmd_is(
  'public', 'conversation_openings', 'Readers can add the opening of their own conversation', 'insert',
  '"Readers can add the opening of their own conversation" applies to INSERT'
);

-- Books are written only by the service (private.replace_book): one read policy each. Reading
-- progress is the reader's to read, record and move, never to delete.
select policies_are(
  'public', 'books', array['Users can read their own and public books'],
  'books has a read policy, nothing else'
);
select policies_are(
  'public', 'book_chapters', array['Users can read the chapters of books they can read'],
  'book_chapters has a read policy, nothing else'
);
select policies_are(
  'public', 'book_passages', array['Users can read the passages of books they can read'],
  'book_passages has a read policy, nothing else'
);
select policies_are(
  'public', 'reading_progress',
  array['Readers can read their own progress', 'Readers can record their own progress', 'Readers can move their own progress'],
  'reading_progress has a read, an insert and an update policy, nothing else'
);
select policies_are(
  'public', 'conversation_titles',
  array['Readers can read the names of their conversations', 'Readers can name their own conversations',
        'Readers can rename their own conversations'],
  'conversation_titles has a read, an insert and an update policy, nothing else'
);

-- The policies compare with the caller's id through (select auth.uid()), evaluated once per
-- statement rather than once per row.
select is_empty(
  $$
    select p.tablename, p.policyname
    from pg_catalog.pg_policies p
    where p.schemaname in ('public', 'private')
      and regexp_replace(
            coalesce(p.qual, '') || ' ' || coalesce(p.with_check, ''),
            'SELECT auth\.uid\(\)', '', 'g'
          ) ~ 'auth\.uid\(\)'
  $$,
  'policies call auth.uid() through a scalar subquery'
);

select * from finish();
rollback;
