-- Anthropic as @anthropic-ai/sdk 1.15.0 lists it: Claude Sonnet 4.5 retired on 2026-11-30 (the
-- SDK's changelog), Sonnet 5.5 and 4.6 serve chat and the teacher, and API version 2026-10-21 (the
-- one the SDK sends) refuses `temperature` on every model.
update private.model_catalogue
set shutdown_date = '2026-11-30', shutdown_source = 'fallback', purposes = '{}'
where provider = 'anthropic' and model_id = 'claude-sonnet-4-5';

insert into private.model_catalogue
  (provider, model_id, purposes, token_parameter, temperature, takes_reasoning_effort, shutdown_source)
values
  ('anthropic', 'claude-sonnet-5-5', '{chat,teacher}', 'max_tokens', 'refused', false, 'none'),
  ('anthropic', 'claude-sonnet-4-6', '{chat,teacher}', 'max_tokens', 'refused', false, 'none')
on conflict (provider, model_id) do update set purposes = excluded.purposes;

update private.model_catalogue set temperature = 'refused' where provider = 'anthropic';
