-- The training conversations of a model, ours to keep: a provider's copy of a training file cannot
-- be downloaded, so without these a persona could never be reviewed, exported or trained elsewhere.
create table public.training_examples (
  id uuid primary key default gen_random_uuid(),
  model_id uuid not null references public.fine_tuned_models (id) on delete cascade,
  source text not null check (source in ('generated', 'user', 'chat')),
  topic text check (char_length(topic) <= 200),
  -- Order within the model's examples (the order of the training file).
  position integer not null check (position >= 0),
  -- The conversation without the system prompt: [{ role: "user" | "assistant", content }, ...].
  messages jsonb not null check (jsonb_typeof(messages) = 'array' and jsonb_array_length(messages) >= 2),
  created_at timestamptz not null default now(),
  unique (model_id, position)
);

comment on table public.training_examples is
  'Training conversations per model (generated, written by the owner, or taken from chats); readable by the owner.';

alter table public.training_examples enable row level security;

create policy "Owners can read the training examples of their models"
  on public.training_examples for select
  to authenticated
  using (exists (
    select 1 from public.fine_tuned_models m
    where m.id = training_examples.model_id and m.created_by = (select auth.uid())
  ));

revoke all on table public.training_examples from anon, authenticated;
grant select on table public.training_examples to authenticated;
grant all on table public.training_examples to service_role;
