-- Row level security on every table, private ones too: clients hold no privilege on these, and the
-- service role bypasses RLS, so nothing changes today; a privilege granted by mistake later still
-- opens no row.
alter table private.daily_chat_usage enable row level security;
alter table private.openai_webhook_deliveries enable row level security;
