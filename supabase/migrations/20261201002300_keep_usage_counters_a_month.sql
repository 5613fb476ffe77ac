-- The usage page shows the last 30 UTC days of chats and creations: keep 35 days of both counters
-- (the chat counters were kept a week).
do $$
begin
  if to_regnamespace('cron') is not null then
    perform cron.schedule(
      'purge-daily-chat-usage',
      '23 3 * * *',
      $cmd$delete from private.daily_chat_usage where day < (now() at time zone 'utc')::date - 35$cmd$
    );
    perform cron.schedule(
      'purge-daily-model-usage',
      '27 3 * * *',
      $cmd$delete from private.daily_model_usage where day < (now() at time zone 'utc')::date - 35$cmd$
    );
  end if;
end
$$;
