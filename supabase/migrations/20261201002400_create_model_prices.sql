-- What a token costs, per provider and model: the spend ledger prices every call from this table
-- at the time it records the call (the stored cost does not move when a price changes later).
-- Prices are data: an admin updates a row in the SQL editor when a provider changes its price list.
-- Service path only: clients never see or write it.
create table private.model_prices (
  -- '*' in provider: any provider; '*' in model_id: the provider's fallback for models not listed.
  provider text not null check (char_length(provider) between 1 and 50),
  model_id text not null check (char_length(model_id) between 1 and 200),
  -- USD per 1M tokens of prompt and of completion when the base model answers.
  input_usd_per_mtok numeric(10, 4) not null check (input_usd_per_mtok >= 0),
  output_usd_per_mtok numeric(10, 4) not null check (output_usd_per_mtok >= 0),
  -- When a fine-tune of this base answers (null: as the base model).
  fine_tuned_input_usd_per_mtok numeric(10, 4) check (fine_tuned_input_usd_per_mtok >= 0),
  fine_tuned_output_usd_per_mtok numeric(10, 4) check (fine_tuned_output_usd_per_mtok >= 0),
  -- USD per 1M trained tokens (tokens times epochs, as providers bill them); null: not tunable here.
  training_usd_per_mtok numeric(10, 4) check (training_usd_per_mtok >= 0),
  -- USD per 1M characters read aloud (text-to-speech models); null: not a speech model.
  speech_usd_per_mchar numeric(10, 4) check (speech_usd_per_mchar >= 0),
  -- Where the price comes from, so an admin knows what to check.
  source text not null check (char_length(source) between 1 and 300),
  updated_at timestamptz not null default now(),
  primary key (provider, model_id)
);

comment on table private.model_prices is
  'USD per 1M tokens per provider and model (input, output, fine-tuned, training) and per 1M speech characters; the spend ledger prices calls from it.';

alter table private.model_prices enable row level security;
revoke all on table private.model_prices from public, anon, authenticated;
grant select, insert, update, delete on table private.model_prices to service_role;

-- The published list prices (USD per 1M tokens) as of 2026-12: OpenAI's pricing page (standard
-- tier; fine-tuned inference and training from its fine-tuning table), Anthropic's pricing page,
-- Together AI's serverless inference and LoRA fine-tuning tiers; speech per 1M characters (OpenAI's
-- tts-1 and tts-1-hd; any OpenAI-compatible speech endpoint prices as provider 'openai'). Models a provider has not priced
-- publicly (gpt-6-luna, claude-opus-4-7) take their predecessor's price until it does. A model
-- not listed takes its provider's '*' row, and an unknown provider the '*'/'*' row: both are set
-- high on purpose, so an unknown model over- rather than under-estimates spend.
insert into private.model_prices
  (provider, model_id, input_usd_per_mtok, output_usd_per_mtok, fine_tuned_input_usd_per_mtok,
   fine_tuned_output_usd_per_mtok, training_usd_per_mtok, source)
values
  -- Text-to-speech models: their speech price is set below.
  ('openai', 'tts-1', 0, 0, null, null, null, 'OpenAI pricing page (per 1M characters)'),
  ('openai', 'tts-1-hd', 0, 0, null, null, null, 'OpenAI pricing page (per 1M characters)'),
  ('openai', 'gpt-4o-mini-tts', 0.60, 12.00, null, null, null, 'assumed: OpenAI prices it per audio token, about $0.015 a minute; taken as $15 per 1M characters'),
  ('openai', 'gpt-6-luna', 1.25, 10.00, null, null, null, 'assumed: gpt-5 list price until OpenAI publishes one'),
  ('openai', 'gpt-5', 1.25, 10.00, null, null, null, 'OpenAI pricing page'),
  ('openai', 'gpt-5-mini', 0.25, 2.00, null, null, null, 'OpenAI pricing page'),
  ('openai', 'gpt-5-nano', 0.05, 0.40, null, null, null, 'OpenAI pricing page'),
  ('openai', 'gpt-4.1', 2.00, 8.00, 3.00, 12.00, 25.00, 'OpenAI pricing page (fine-tuning table)'),
  ('openai', 'gpt-4.1-mini', 0.40, 1.60, 0.80, 3.20, 5.00, 'OpenAI pricing page (fine-tuning table)'),
  ('openai', 'gpt-4o', 2.50, 10.00, 3.75, 15.00, 25.00, 'OpenAI pricing page (fine-tuning table)'),
  ('openai', 'gpt-4o-mini', 0.15, 0.60, 0.30, 1.20, 3.00, 'OpenAI pricing page (fine-tuning table)'),
  ('openai', '*', 2.50, 10.00, 3.75, 15.00, 25.00, 'fallback: the dearest listed OpenAI model'),
  ('anthropic', 'claude-sonnet-4-5', 3.00, 15.00, null, null, null, 'Anthropic pricing page'),
  ('anthropic', 'claude-haiku-4-5', 1.00, 5.00, null, null, null, 'Anthropic pricing page'),
  ('anthropic', 'claude-opus-4-7', 5.00, 25.00, null, null, null, 'assumed: Claude Opus 4.5 list price'),
  ('anthropic', '*', 5.00, 25.00, null, null, null, 'fallback: the dearest listed Anthropic model'),
  ('together', 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference', 0.18, 0.18, 0.18, 0.18, 0.48, 'Together AI pricing page (serverless; LoRA up to 16B)'),
  ('together', 'meta-llama/Meta-Llama-3.1-70B-Instruct-Reference', 0.88, 0.88, 0.88, 0.88, 2.90, 'Together AI pricing page (serverless; LoRA 70-100B)'),
  ('together', 'Qwen/Qwen2.5-7B-Instruct', 0.30, 0.30, 0.30, 0.30, 0.48, 'Together AI pricing page (serverless; LoRA up to 16B)'),
  ('together', '*', 0.88, 0.88, 0.88, 0.88, 2.90, 'fallback: the dearest listed Together model'),
  ('*', '*', 5.00, 25.00, 5.00, 25.00, 25.00, 'fallback for an unknown provider: deliberately high');

update private.model_prices set speech_usd_per_mchar = case model_id
  when 'tts-1' then 15.00 when 'tts-1-hd' then 30.00 when 'gpt-4o-mini-tts' then 15.00 else 30.00 end
where model_id in ('tts-1', 'tts-1-hd', 'gpt-4o-mini-tts', '*');

-- The price row of a model: its own, else its family's (a dated snapshot such as
-- gpt-4.1-mini-2025-04-14 prices as gpt-4.1-mini), else its provider's fallback, else the global
-- one. Always answers a row.
create or replace function private.model_price(p_provider text, p_model text)
returns private.model_prices
language sql
stable
security invoker
set search_path = ''
as $$
  select p.*
  from private.model_prices p
  where (p.provider = p_provider
         and p.model_id in (p_model, pg_catalog.regexp_replace(p_model, '-\d{4}-\d{2}-\d{2}$', ''), '*'))
     or (p.provider = '*' and p.model_id = '*')
  order by p.provider = '*', p.model_id = '*', p.model_id = p_model desc
  limit 1
$$;

revoke all on function private.model_price(text, text) from public, anon, authenticated;
grant execute on function private.model_price(text, text) to service_role;
