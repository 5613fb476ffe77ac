-- Clients need no sequence: ids are the database's to assign. Supabase's default privileges give
-- anon and authenticated every privilege on each new sequence in public (book_passages_id_seq
-- among them), so a client could setval() it to its maximum and make every later book upload fail.
-- Revoked on every sequence in every schema, and from the defaults of the role that runs the
-- migrations, so a future sequence starts without them (Supabase's own defaults for its admin
-- role are not this project's to change).
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
