-- Dedicated hosting in the spend ledger (kind hosting, per minute): the service records it, the
-- first tick only starts the clock, a stopped hosting bills nothing, and no client role may call it.
-- Rows are this file's own endpoint's (a billed model no other suite uses).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(6);

\ir helpers/identities.psql

select pg_temp.authenticate_as_service_role();

select is(private.record_hosting_spend('together', 'endpoint-pgtap-hosting', true, 0.056), 0::numeric,
  'the first tick only starts the clock');

-- Ten minutes pass (the last tick moved back), while the endpoint runs.
update private.spend_ledger set updated_at = now() - interval '10 minutes'
where kind = 'hosting' and billed_model = 'endpoint-pgtap-hosting';
select is(private.record_hosting_spend('together', 'endpoint-pgtap-hosting', true, 0.056), 10::numeric,
  'a running hosting is billed the minutes since the last tick');

update private.spend_ledger set updated_at = now() - interval '5 minutes'
where kind = 'hosting' and billed_model = 'endpoint-pgtap-hosting';
select is(private.record_hosting_spend('together', 'endpoint-pgtap-hosting', false, 0.056), 0::numeric,
  'a stopped hosting is billed nothing');

select results_eq(
  $$ select user_id, model_id, hosted_minutes, cost_usd from private.spend_ledger
     where kind = 'hosting' and billed_model = 'endpoint-pgtap-hosting' $$,
  $$ values ('00000000-0000-0000-0000-000000000000'::uuid, '00000000-0000-0000-0000-000000000000'::uuid,
             10::numeric(14, 3), 0.56::numeric(14, 6)) $$,
  'one row per day and hosting, on the deployment (the nil user and persona), minutes and USD added up'
);

select pg_temp.authenticate_as('61111111-1111-4111-8111-111111111111');
select throws_ok($$ select private.record_hosting_spend('together', 'endpoint-pgtap-hosting', true, 1) $$, '42501', null,
  'a signed-in user cannot record hosting spend');

select pg_temp.authenticate_as_anon();
select throws_ok($$ select private.record_hosting_spend('together', 'endpoint-pgtap-hosting', true, 1) $$, '42501', null,
  'an anonymous caller cannot record hosting spend');

select * from finish();
rollback;
