-- The daily chat quota, reserved atomically: a turn is taken before the provider is called and
-- given back when no exchange gets stored, so parallel requests cannot overrun the quota and a
-- failed request costs the user nothing. Service path only: clients never see or write it.
create table private.daily_chat_usage (
  user_id uuid not null references auth.users (id) on delete cascade,
  day date not null,
  used integer not null check (used >= 0),
  primary key (user_id, day)
);

comment on table private.daily_chat_usage is 'Chat turns taken per user and UTC day (the DAILY_CHAT_QUOTA).';

revoke all on table private.daily_chat_usage from public, anon, authenticated;
grant select, insert, update, delete on table private.daily_chat_usage to service_role;

-- Yesterday's counters are of no use: keep a week for support questions.
do $$
begin
  if to_regnamespace('cron') is not null then
    perform cron.schedule(
      'purge-daily-chat-usage',
      '23 3 * * *',
      $cmd$delete from private.daily_chat_usage where day < (now() at time zone 'utc')::date - 7$cmd$
    );
  end if;
end
$$;
