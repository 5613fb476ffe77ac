-- A provider's refusal to fine-tune for this deployment's account (OpenAI's 403 for an
-- organisation without fine-tuning access), remembered once per provider and account, so the next
-- model moves on to the next training provider or persona mode without asking again.
create table private.training_access_refusals (
  provider text not null check (char_length(provider) between 1 and 50),
  -- The provider's account: its organisation id, or a hash of the key (never the key itself).
  account text not null check (char_length(account) between 1 and 200),
  reason text not null check (char_length(reason) between 1 and 500),
  refused_at timestamptz not null default now(),
  primary key (provider, account)
);

comment on table private.training_access_refusals is
  'Providers that refused to fine-tune for this deployment''s account, with the reason. Trusted for '
  'TRAINING_REFUSAL_RECHECK_DAYS, then asked again; delete a row to ask again at once.';

alter table private.training_access_refusals enable row level security;
revoke all on table private.training_access_refusals from public, anon, authenticated;
grant select, insert, update, delete on table private.training_access_refusals to service_role;

-- For admins: which provider refused which account, why and when (delete the private row to re-ask).
create view analytics.training_access_refusals
with (security_invoker = true)
as
select r.provider, r.account, r.reason, r.refused_at
from private.training_access_refusals r;

comment on view analytics.training_access_refusals is
  'Providers that refused to fine-tune for this deployment''s account, and why.';

revoke all on analytics.training_access_refusals from public, anon, authenticated;
grant select on analytics.training_access_refusals to service_role;
