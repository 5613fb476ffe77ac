-- A run whose provider refused to start the job moves to the next configured training provider
-- before the model falls back to persona mode. Each move is kept on the run, with the refusal that
-- caused it, so the owner (and support) can see why a persona trained where it did.
alter table public.training_runs
  add column provider_moves jsonb not null default '[]'::jsonb
    check (jsonb_typeof(provider_moves) = 'array' and jsonb_array_length(provider_moves) <= 20);

comment on column public.training_runs.provider_moves is
  'Providers this run left before training: [{ from, to, reason, at }], oldest first.';
