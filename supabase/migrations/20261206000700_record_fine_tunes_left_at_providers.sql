-- Fine-tuned models a provider refused to delete when their persona was deleted (OpenAI answers
-- 403 without the Owner role): the row and its runs are gone, so the leftover is kept here, listed
-- for admins, and retried by the training sync until the provider deletes it.
create table private.provider_leftovers (
  id uuid primary key default gen_random_uuid(),
  provider text not null check (char_length(provider) between 1 and 50),
  fine_tuned_model text not null check (char_length(fine_tuned_model) between 1 and 300),
  job_id text check (char_length(job_id) <= 300),
  -- The deleted persona and its owner: no foreign keys, both rows are gone.
  former_model_id uuid not null,
  former_owner uuid,
  reason text not null check (char_length(reason) between 1 and 500),
  recorded_at timestamptz not null default now(),
  attempts integer not null default 1 check (attempts >= 1),
  last_attempt_at timestamptz not null default now(),
  unique (provider, fine_tuned_model)
);

comment on table private.provider_leftovers is
  'Fine-tunes left at a provider that refused to delete them, with the reason; the sync retries once a day.';

-- The sync's retry reads the oldest attempts first.
create index provider_leftovers_last_attempt_idx on private.provider_leftovers (last_attempt_at);

alter table private.provider_leftovers enable row level security;
revoke all on table private.provider_leftovers from public, anon, authenticated;
grant select, insert, update, delete on table private.provider_leftovers to service_role;

-- For admins (dashboard SQL editor): what is still left at a provider, and why.
create view analytics.fine_tunes_left_at_providers
with (security_invoker = true)
as
select l.provider, l.fine_tuned_model, l.job_id, l.former_model_id, l.former_owner, l.reason,
       l.recorded_at, l.attempts, l.last_attempt_at
from private.provider_leftovers l
order by l.recorded_at;

comment on view analytics.fine_tunes_left_at_providers is
  'Fine-tunes of deleted personas that their provider refused to delete (still billed or listed there), with the reason.';

revoke all on analytics.fine_tunes_left_at_providers from public, anon, authenticated;
grant select on analytics.fine_tunes_left_at_providers to service_role;
