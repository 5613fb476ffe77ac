-- The spend ledger, the prices, the spend alerts and the analytics views are the service's and the
-- admins': no client role reads or writes any of them, whether the rows are about them or not;
-- the service role reads every analytics view and records spend. Rows are filtered to this file's
-- own users and personas, so the shared database's other rows never matter.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

select plan(52);

\ir helpers/identities.psql

insert into auth.users (id, email) values
  ('61111111-1111-4111-8111-111111111111', 'spender@storyvoice.test'),
  ('62222222-2222-4222-8222-222222222222', 'bystander@storyvoice.test');

insert into private.fine_tuned_models (id, name, type, entity_name, book_id, created_by, status, is_public) values
  ('6ccccccc-0000-4000-8000-000000000001', 'Spent on', 'author', 'Spent on', 'spend-test-book',
   '61111111-1111-4111-8111-111111111111', 'pending', true);

-- The service ------------------------------------------------------------------------------------

select pg_temp.authenticate_as_service_role();

select is(
  private.record_spend('[{"user_id": "61111111-1111-4111-8111-111111111111", "model_id": "6ccccccc-0000-4000-8000-000000000001",
    "kind": "chat", "provider": "openai", "billed_model": "gpt-4.1-mini-2025-04-14", "input_tokens": 1000000, "output_tokens": 500000},
    {"user_id": "61111111-1111-4111-8111-111111111111", "model_id": "6ccccccc-0000-4000-8000-000000000001",
    "kind": "chat", "provider": "openai", "billed_model": "gpt-4.1-mini-2025-04-14", "input_tokens": 1000000}]'::jsonb),
  1.6::numeric,
  'the service records spend, priced from the table: a dated snapshot prices as its family (gpt-4.1-mini: $0.40 in, $1.60 out)'
);

select results_eq(
  $$ select requests, input_tokens, output_tokens, cost_usd from private.spend_ledger
     where user_id = '61111111-1111-4111-8111-111111111111' $$,
  $$ values (2, 2000000::bigint, 500000::bigint, 1.6::numeric(14, 6)) $$,
  'entries of one user, persona, kind and model on one day add up in one row'
);

select is(
  (select cost_usd from private.user_daily_spend('61111111-1111-4111-8111-111111111111')),
  1.6::numeric,
  'user_daily_spend gives a user''s spend per day'
);

select ok(private.deployment_spend_limit_reached(1.6) and not private.deployment_spend_limit_reached(null),
  'the limit check: reached at the limit, never without one');

select lives_ok($$ select count(*) from analytics.popular_models $$, 'the service role reads analytics.popular_models');
select lives_ok($$ select count(*) from analytics.daily_usage $$, 'the service role reads analytics.daily_usage');
select lives_ok($$ select count(*) from analytics.spend_per_user $$, 'the service role reads analytics.spend_per_user');
select lives_ok($$ select count(*) from analytics.spend_per_model $$, 'the service role reads analytics.spend_per_model');
select lives_ok($$ select count(*) from analytics.spend_per_provider $$, 'the service role reads analytics.spend_per_provider');
select lives_ok($$ select count(*) from analytics.training_outcomes $$, 'the service role reads analytics.training_outcomes');
select lives_ok($$ select count(*) from analytics.training_queue $$, 'the service role reads analytics.training_queue');
select lives_ok($$ select count(*) from analytics.training_access_refusals $$,
  'the service role reads analytics.training_access_refusals');
select lives_ok($$ select count(*) from analytics.fine_tunes_left_at_providers $$,
  'the service role reads analytics.fine_tunes_left_at_providers');

select results_eq(
  $$ select chats_30d from analytics.popular_models where model_id = '6ccccccc-0000-4000-8000-000000000001' $$,
  $$ select 0::bigint where false $$,
  'a persona without chats is not among the popular models'
);

update public.training_runs set status = 'training', base_model = 'gpt-4o-mini-2024-07-18'
  where model_id = '6ccccccc-0000-4000-8000-000000000001';
update public.training_runs set status = 'completed', trained_tokens = 1000000
  where model_id = '6ccccccc-0000-4000-8000-000000000001';
select results_eq(
  $$ select user_id, trained_tokens, cost_usd from private.spend_ledger
     where model_id = '6ccccccc-0000-4000-8000-000000000001' and kind = 'training' $$,
  $$ values ('61111111-1111-4111-8111-111111111111'::uuid, 1000000::bigint, 3::numeric(14, 6)) $$,
  'a run''s completion records its trained tokens for the owner (gpt-4o-mini: $3 per 1M)'
);


-- The user who spent -----------------------------------------------------------------------------

select pg_temp.authenticate_as('61111111-1111-4111-8111-111111111111');

select throws_ok($$ select count(*) from analytics.popular_models $$, '42501', 'permission denied for schema analytics',
  'the spender cannot read analytics.popular_models');
select throws_ok($$ select count(*) from analytics.daily_usage $$, '42501', 'permission denied for schema analytics',
  'the spender cannot read analytics.daily_usage');
select throws_ok($$ select count(*) from analytics.spend_per_user $$, '42501', 'permission denied for schema analytics',
  'the spender cannot read analytics.spend_per_user');
select throws_ok($$ select count(*) from analytics.spend_per_model $$, '42501', 'permission denied for schema analytics',
  'the spender cannot read analytics.spend_per_model');
select throws_ok($$ select count(*) from analytics.spend_per_provider $$, '42501', 'permission denied for schema analytics',
  'the spender cannot read analytics.spend_per_provider');
select throws_ok($$ select count(*) from analytics.training_outcomes $$, '42501', 'permission denied for schema analytics',
  'the spender cannot read analytics.training_outcomes');
select throws_ok($$ select count(*) from analytics.training_queue $$, '42501', 'permission denied for schema analytics',
  'the spender cannot read analytics.training_queue');
select throws_ok($$ select count(*) from analytics.training_access_refusals $$, '42501', 'permission denied for schema analytics',
  'the spender cannot read analytics.training_access_refusals');
select throws_ok($$ select count(*) from analytics.fine_tunes_left_at_providers $$, '42501', 'permission denied for schema analytics',
  'the spender cannot read analytics.fine_tunes_left_at_providers');
select throws_ok($$ select count(*) from private.spend_ledger $$, '42501', 'permission denied for table spend_ledger',
  'the spender cannot read private.spend_ledger');
select throws_ok($$ select count(*) from private.model_prices $$, '42501', 'permission denied for table model_prices',
  'the spender cannot read private.model_prices');
select throws_ok($$ select count(*) from private.spend_alerts $$, '42501', 'permission denied for table spend_alerts',
  'the spender cannot read private.spend_alerts');
select throws_ok($$ select private.record_spend('[]'::jsonb) $$, '42501', 'permission denied for function record_spend',
  'the spender cannot record spend');
select throws_ok($$ select private.user_daily_spend('61111111-1111-4111-8111-111111111111') $$, '42501',
  'permission denied for function user_daily_spend', 'the spender cannot read a user''s spend through the function');
select throws_ok($$ update private.model_prices set input_usd_per_mtok = 0 $$, '42501', 'permission denied for table model_prices',
  'the spender cannot change a price');

-- Another user -----------------------------------------------------------------------------------

select pg_temp.authenticate_as('62222222-2222-4222-8222-222222222222');

select throws_ok($$ select count(*) from analytics.popular_models $$, '42501', 'permission denied for schema analytics',
  'another user cannot read analytics.popular_models');
select throws_ok($$ select count(*) from analytics.daily_usage $$, '42501', 'permission denied for schema analytics',
  'another user cannot read analytics.daily_usage');
select throws_ok($$ select count(*) from analytics.spend_per_user $$, '42501', 'permission denied for schema analytics',
  'another user cannot read analytics.spend_per_user');
select throws_ok($$ select count(*) from analytics.spend_per_model $$, '42501', 'permission denied for schema analytics',
  'another user cannot read analytics.spend_per_model');
select throws_ok($$ select count(*) from analytics.spend_per_provider $$, '42501', 'permission denied for schema analytics',
  'another user cannot read analytics.spend_per_provider');
select throws_ok($$ select count(*) from analytics.training_outcomes $$, '42501', 'permission denied for schema analytics',
  'another user cannot read analytics.training_outcomes');
select throws_ok($$ select count(*) from analytics.training_queue $$, '42501', 'permission denied for schema analytics',
  'another user cannot read analytics.training_queue');
select throws_ok($$ select count(*) from private.spend_ledger $$, '42501', 'permission denied for table spend_ledger',
  'another user cannot read private.spend_ledger');
select throws_ok($$ select count(*) from private.model_prices $$, '42501', 'permission denied for table model_prices',
  'another user cannot read private.model_prices');
select throws_ok($$ select count(*) from private.spend_alerts $$, '42501', 'permission denied for table spend_alerts',
  'another user cannot read private.spend_alerts');
select throws_ok($$ select private.record_spend('[]'::jsonb) $$, '42501', 'permission denied for function record_spend',
  'another user cannot record spend');
select throws_ok($$ select private.user_daily_spend('61111111-1111-4111-8111-111111111111') $$, '42501',
  'permission denied for function user_daily_spend', 'another user cannot read a user''s spend through the function');
select throws_ok($$ update private.model_prices set input_usd_per_mtok = 0 $$, '42501', 'permission denied for table model_prices',
  'another user cannot change a price');

-- Anonymous -------------------------------------------------------------------------------------

select pg_temp.authenticate_as_anon();

select throws_ok($$ select count(*) from analytics.popular_models $$, '42501', 'permission denied for schema analytics',
  'anon cannot read analytics.popular_models');
select throws_ok($$ select count(*) from analytics.daily_usage $$, '42501', 'permission denied for schema analytics',
  'anon cannot read analytics.daily_usage');
select throws_ok($$ select count(*) from analytics.spend_per_user $$, '42501', 'permission denied for schema analytics',
  'anon cannot read analytics.spend_per_user');
select throws_ok($$ select count(*) from analytics.spend_per_model $$, '42501', 'permission denied for schema analytics',
  'anon cannot read analytics.spend_per_model');
select throws_ok($$ select count(*) from analytics.spend_per_provider $$, '42501', 'permission denied for schema analytics',
  'anon cannot read analytics.spend_per_provider');
select throws_ok($$ select count(*) from analytics.training_outcomes $$, '42501', 'permission denied for schema analytics',
  'anon cannot read analytics.training_outcomes');
select throws_ok($$ select count(*) from analytics.training_queue $$, '42501', 'permission denied for schema analytics',
  'anon cannot read analytics.training_queue');
select throws_ok($$ select count(*) from private.spend_ledger $$, '42501', 'permission denied for schema private',
  'anon cannot reach the ledger');

select pg_temp.clear_authentication();

-- An imported transcript is the reader's text: the popular-models figures count answered chats only.
insert into private.fine_tuned_models (id, name, type, entity_name, book_id, created_by, status, is_public) values
  ('6ccccccc-0000-4000-8000-000000000002', 'Chatted with', 'author', 'Chatted with', 'spend-test-book',
   '61111111-1111-4111-8111-111111111111', 'ready', true);
insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, imported) values
  ('6ccccccc-0000-4000-8000-000000000002', '62222222-2222-4222-8222-222222222222',
   '6ddddddd-0000-4000-8000-000000000001', 'hello', 'answered', false),
  ('6ccccccc-0000-4000-8000-000000000002', '62222222-2222-4222-8222-222222222222',
   '6ddddddd-0000-4000-8000-000000000002', 'hello', 'imported', true);
update private.fine_tuned_models set recent_chat_count = 1 where id = '6ccccccc-0000-4000-8000-000000000002';
select pg_temp.authenticate_as_service_role();
select results_eq(
  $$ select chats_7d, chats_30d from analytics.popular_models where model_id = '6ccccccc-0000-4000-8000-000000000002' $$,
  $$ values (1::bigint, 1::bigint) $$,
  'popular models count the answered chat, not the imported one'
);

select pg_temp.clear_authentication();
select * from finish();
rollback;