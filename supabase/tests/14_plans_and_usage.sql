-- Plans and usage counters per role: a signed-in user reads the plans (a price list) and writes
-- nothing; anon holds nothing; the usage counters and plan assignments are the service's alone;
-- the plan lookup takes private.user_plans over app_metadata.plan, and anything unknown is free;
-- the reservation takes creations under a row lock and refuses past either quota, taking nothing.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(33);

\ir helpers/identities.psql

insert into auth.users (id, email, raw_app_meta_data) values
  ('14141414-1111-4111-8111-111111111111', 'plan-owner@storyvoice.test', '{"plan": "plans-test-gold"}'),
  ('14141414-2222-4222-8222-222222222222', 'plan-other@storyvoice.test', '{"plan": "no-such-plan"}'),
  ('14141414-3333-4333-8333-333333333333', 'plan-table@storyvoice.test', '{"plan": "plans-test-gold"}');

insert into public.plans (id, name, models_per_day, trainings_in_flight, chat_messages_per_day, max_examples) values
  ('plans-test-gold', 'Gold', 2, 1, null, 40),
  ('plans-test-silver', 'Silver', 1, 3, 75, null);
insert into private.user_plans (user_id, plan_id) values ('14141414-3333-4333-8333-333333333333', 'plans-test-silver');
insert into private.daily_model_usage (user_id, day, created) values ('14141414-2222-4222-8222-222222222222', current_date, 1);

-- What each role holds -----------------------------------------------------------------------------

select table_privs_are('public', 'plans', 'anon', array[]::name[], 'anon holds no privilege on plans');
select table_privs_are('public', 'plans', 'authenticated', array['SELECT']::name[], 'authenticated holds only SELECT on plans');
select table_privs_are('private', 'user_plans', 'authenticated', array[]::name[], 'authenticated holds no privilege on user_plans');
select table_privs_are('private', 'daily_model_usage', 'authenticated', array[]::name[], 'authenticated holds no privilege on daily_model_usage');
select table_privs_are('private', 'daily_model_usage', 'anon', array[]::name[], 'anon holds no privilege on daily_model_usage');
select table_privs_are(
  'private', 'daily_model_usage', 'service_role', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']::name[],
  'the service role reads and writes daily_model_usage'
);
select ok(
  not has_function_privilege('authenticated', 'private.reserve_trainings(uuid, integer, integer, integer, integer, integer)', 'execute')
  and not has_function_privilege('anon', 'private.reserve_trainings(uuid, integer, integer, integer, integer, integer)', 'execute'),
  'no client may reserve creations'
);
select ok(
  not has_function_privilege('authenticated', 'private.may_start_training(uuid, integer, integer)', 'execute'),
  'no client may take a training slot'
);

-- A signed-in user reads the price list and writes nothing ----------------------------------------

select pg_temp.authenticate_as('14141414-1111-4111-8111-111111111111');
select results_eq(
  $$ select id, models_per_day from public.plans where id like 'plans-test-%' order by id $$,
  $$ values ('plans-test-gold'::text, 2), ('plans-test-silver', 1) $$,
  'a user reads every plan'
);
select ok(exists (select 1 from public.plans where id = 'free'), 'a user reads the free plan');
select throws_ok(
  $$ insert into public.plans (id, name) values ('plans-test-mine', 'Mine') $$,
  '42501', null, 'a user cannot add a plan'
);
select throws_ok(
  $$ update public.plans set models_per_day = 1000 where id = 'plans-test-gold' $$,
  '42501', null, 'a user cannot raise a plan''s quota'
);
select throws_ok($$ delete from public.plans where id = 'plans-test-gold' $$, '42501', null, 'a user cannot delete a plan');
select throws_ok(
  $$ insert into private.user_plans (user_id, plan_id) values ('14141414-1111-4111-8111-111111111111', 'pro') $$,
  '42501', null, 'a user cannot give themselves a plan'
);
select throws_ok($$ select count(*) from private.daily_model_usage $$, '42501', null, 'a user cannot read the usage counters');
select throws_ok(
  $$ update private.daily_model_usage set created = 0 $$, '42501', null, 'a user cannot reset their usage counter'
);
select throws_ok(
  $$ select private.plan_of('14141414-1111-4111-8111-111111111111') $$, '42501', null, 'a user cannot call the plan lookup'
);

-- Another user the same; anon nothing --------------------------------------------------------------

select pg_temp.authenticate_as('14141414-2222-4222-8222-222222222222');
select is((select count(*)::int from public.plans where id like 'plans-test-%'), 2, 'another user reads the same plans');
select throws_ok(
  $$ update public.plans set name = 'Mine' where id = 'plans-test-silver' $$, '42501', null, 'another user cannot rename a plan'
);

select pg_temp.authenticate_as_anon();
select throws_ok($$ select count(*) from public.plans $$, '42501', null, 'anon cannot read the plans');
select throws_ok($$ select count(*) from private.daily_model_usage $$, '42501', null, 'anon cannot read the usage counters');

-- The plan lookup and the reservation, on the service path -----------------------------------------

select pg_temp.clear_authentication();
select is(private.plan_of('14141414-1111-4111-8111-111111111111'), 'plans-test-gold', 'app_metadata.plan names the plan');
select is(private.plan_of('14141414-3333-4333-8333-333333333333'), 'plans-test-silver', 'private.user_plans wins over app_metadata.plan');
select is(private.plan_of('14141414-2222-4222-8222-222222222222'), 'free', 'a plan that does not exist counts as free');
select results_eq(
  $$ select plan, models_per_day, trainings_in_flight, chat_messages_per_day, max_examples
     from private.plan_quotas('14141414-1111-4111-8111-111111111111', 10, 2, 200, 100) $$,
  $$ values ('plans-test-gold'::text, 2, 1, 200, 40) $$,
  'a plan''s null quota takes the deployment default given'
);
select is(private.chat_quota_of('14141414-3333-4333-8333-333333333333', 200), 75, 'the chat quota is the plan''s');

select is(
  private.reserve_trainings('14141414-1111-4111-8111-111111111111', 1, 1, 10, 2, 1) ->> 'outcome', 'ok',
  'a first creation is taken'
);
select is(
  (select created from private.daily_model_usage where user_id = '14141414-1111-4111-8111-111111111111'), 1,
  'the day''s counter holds it'
);
-- Gold allows 2 a day; the owner now has a model training, and Gold allows 1 in flight: with one
-- more allowed to queue, a second unfinished training fits and a third does not.
insert into private.fine_tuned_models (id, name, type, entity_name, book_id, created_by) values
  ('14141414-aaaa-4000-8000-000000000001', 'Plan test', 'author', 'Plan test', 'plans-test-book', '14141414-1111-4111-8111-111111111111');
select is(
  private.reserve_trainings('14141414-1111-4111-8111-111111111111', 0, 1, 10, 2, 1) ->> 'outcome', 'ok',
  'past the trainings in flight, within the queued allowance: taken'
);
select is(
  private.reserve_trainings('14141414-1111-4111-8111-111111111111', 0, 2, 10, 2, 1) -> 'outcome' #>> '{}', 'trainings_queued',
  'past the trainings in flight and the queued allowance: refused'
);
select is(
  private.reserve_trainings('14141414-1111-4111-8111-111111111111', 2, 0, 10, 2, 1) ->> 'outcome', 'models_per_day',
  'past the day''s models: refused'
);
select is(
  (select created from private.daily_model_usage where user_id = '14141414-1111-4111-8111-111111111111'), 1,
  'a refused reservation takes nothing'
);
select is(
  (select created from private.daily_model_usage where user_id = '14141414-2222-4222-8222-222222222222'), 1,
  'another user''s counter is their own'
);

select * from finish();
rollback;
