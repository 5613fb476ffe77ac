-- Clients need no sequence (ids are the database's to assign; setval() could exhaust one): revoked
-- on every sequence and from the migrating role's defaults, so a new sequence starts without them.
do $$
declare
  seq record;
begin
  for seq in
    select n.nspname, c.relname
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'S'
      and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\_%'
      -- REVOKE fails outright on an object its runner holds nothing on (another service's schema).
      and (pg_catalog.pg_has_role(c.relowner, 'MEMBER')
           or pg_catalog.has_sequence_privilege(c.oid, 'USAGE, SELECT, UPDATE'))
  loop
    execute pg_catalog.format('revoke all on sequence %I.%I from public, anon, authenticated', seq.nspname, seq.relname);
  end loop;
end
$$;

alter default privileges in schema public revoke all on sequences from public, anon, authenticated;
