-- Every table, view and function of ours says why it exists (`comment on`), where a reader meets
-- it: supabase/schema.sql and the dashboard. This fails when one is added without.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(2);

select is_empty(
  $$
    select c.oid::regclass::text
    from pg_catalog.pg_class c
    where c.relnamespace::regnamespace::text in ('public', 'private', 'analytics')
      and c.relkind in ('r', 'p', 'v', 'm')
      and pg_catalog.obj_description(c.oid, 'pg_class') is null
      and not exists (select 1 from pg_catalog.pg_depend d
                      where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
  $$,
  'every table and view in public, private and analytics has a comment'
);

select is_empty(
  $$
    select p.oid::regprocedure::text
    from pg_catalog.pg_proc p
    where p.pronamespace::regnamespace::text in ('public', 'private', 'analytics')
      and pg_catalog.obj_description(p.oid, 'pg_proc') is null
      and not exists (select 1 from pg_catalog.pg_depend d
                      where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  $$,
  'every function in public, private and analytics has a comment'
);

select * from finish();
rollback;
