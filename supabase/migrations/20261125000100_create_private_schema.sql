-- Internals that must never be reachable through the Data API (it exposes only public).
create schema if not exists private;
revoke all on schema private from public, anon, authenticated;
grant usage on schema private to service_role;
