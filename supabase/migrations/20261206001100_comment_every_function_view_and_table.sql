-- Every function and view says why it exists where a reader meets it (supabase/schema.sql, the
-- dashboard), not only in the migration that first defined it. Comments only.

comment on function private.add_model_chats(uuid, integer, timestamptz, boolean) is
  'Adds chats to a model''s chat_count and last_used_at: into the row when its lock is free (folding visible tallies), else as a tally, so a popular persona''s chats never queue on its row.';
comment on function private.assign_group_message_order() is
  'Trigger: gives each group message the next gap-free order in its conversation, one round stored contiguously (advisory lock per conversation).';
comment on function private.assign_message_order() is
  'Trigger: gives each exchange the next gap-free order in its conversation and checks the conversation keeps one user and one model.';
comment on function private.bump_model_chat_stats() is
  'Trigger on answered exchanges and group replies: counts (or uncounts) the chat on its model; an insert never waits for the model row, a delete does.';
comment on function private.chat_quota_of(uuid, integer) is
  'A user''s chat messages per UTC day: their plan''s quota, else the deployment default given.';
comment on function private.check_alternate_greetings() is
  'Trigger: refuses an alternate greeting outside 1-4,000 characters with the error a check would raise (a check cannot look inside an array).';
comment on function private.delete_own_model(jsonb, uuid) is
  'Deletes the claims'' user''s model under their RLS after locking its training runs first, the order run writes take, so a delete never deadlocks with the creation work.';
comment on function private.deployment_spend_limit_reached(numeric) is
  'Whether today''s (UTC) spend reached the daily limit: chat refuses and the queue starts no run until midnight. A null limit never is.';
comment on function private.deployment_spend_today() is
  'The whole deployment''s spend today (UTC), in USD, for the daily limit and the spend alerts.';
comment on function private.describe_training_data(jsonb, integer) is
  'One human sentence about a run''s training data (examples, topics, epochs, base, tokens) for the model''s status; null until the data exists.';
comment on function private.fold_chat_tallies() is
  'Folds every model''s pending chat tallies into its row, skipping rows locked meanwhile; scheduled every minute so chat_count catches up once chats stop.';
comment on function private.invoke_edge_function(text, jsonb, integer) is
  'The one way the database calls an Edge Function: pg_net with the Vault''s URL and key on Supabase, else a NOTIFY the local stack relays.';
comment on function private.may_start_training(uuid, integer) is
  'The one place that decides whether a run may start its provider job now: a fair queue per provider within its active-job limit.';
comment on function private.model_price(text, text) is
  'USD prices of a provider''s model: its own row, else its family''s, else the provider''s fallback, else the global one. plpgsql so its plan is kept per session.';
comment on function private.passages_for_turn(jsonb, uuid, text, integer, numeric, integer) is
  'The book passages a chat turn is grounded in, up to the reader''s place and under the caller''s RLS; null when the caller can read no text of the book.';
comment on function private.plan_of(uuid) is
  'The plan a user is on: private.user_plans, else app_metadata.plan, else free. Definer rights because it reads auth.users; it answers only a plan id.';
comment on function private.plan_quotas(uuid, integer, integer, integer, integer) is
  'The quotas a user has: their plan''s, each null one replaced by the deployment default given.';
comment on function private.raise_spend_alerts(numeric, numeric[], numeric[]) is
  'Raises today''s due spend alerts (per user, deployment, share of the limit) once each, and answers the new ones for the webhook.';
comment on function private.reader_names(uuid) is
  'The words a reader may be known by (e-mail local part, profile names), blanked when their exchanges are anonymised for training.';
comment on function private.record_spend(jsonb) is
  'Adds priced provider calls to the spend ledger, in the transaction that stores what they produced; answers the USD recorded.';
comment on function private.record_training_spend() is
  'Trigger: bills a training run''s trained tokens to the persona''s owner in the write-back that marks it completed.';
comment on function private.remember_fine_tune_provider() is
  'Trigger: when the live fine-tune changes, remembers the provider and base of the run it came from, so chat stays on that provider during a retrain elsewhere.';
comment on function private.replace_book(uuid, text, text, text, boolean, text, jsonb) is
  'Writes an upload of a book (the row, its chapters and passages) in one transaction, replacing an earlier upload; service only.';
comment on function private.reserve_trainings(uuid, integer, integer, integer, integer) is
  'Takes a user''s model creations for today and checks trainings in flight, or takes nothing, under a row lock so a burst of creates cannot slip past a quota.';
comment on function private.set_chat_mode() is
  'Trigger: derives chat_mode, fine-tuned while an unretired fine-tune is live and persona otherwise, so chat and clients read one column.';
comment on function private.set_updated_at_on_edit() is
  'Trigger for every table with an updated_at: moves it only on an edit, the arguments naming the bookkeeping columns whose changes are not edits.';
comment on function private.show_run_on_model() is
  'Trigger: shows a model''s newest run on its seed columns and keeps the live fine-tune; definer rights so it reaches the model whoever wrote the run.';
comment on function private.start_first_training_run() is
  'Trigger: every new model gets its first training run with its row, so the sync always finds the work.';
comment on function private.touch_chat_sharing_consent() is
  'Trigger: keeps a sharing consent''s updated_at true whoever writes the row.';
comment on function private.user_daily_spend(uuid, integer) is
  'A user''s spend per UTC day over the last days, newest first: what the usage endpoint shows them.';

comment on view analytics.daily_usage is
  'Per UTC day over the last 90 days: replies answered, users who chatted, personas created, spend and tokens (from the spend ledger, cheap at millions of chats).';
comment on view analytics.popular_models is
  'Personas chatted with lately, most first: chats and distinct users in the last 7 and 30 days.';
comment on view analytics.spend_per_model is
  'Spend per persona over the last 30 days by kind of call (USD).';
comment on view analytics.spend_per_provider is
  'Spend per provider, billed model and kind over the last 30 days (USD).';
comment on view analytics.spend_per_user is
  'Spend per user over the last 30 days and today (USD), dearest first.';
comment on view analytics.training_outcomes is
  'Training runs by provider: completed, failed, persona mode, in flight, and the median time to ready.';
comment on view analytics.training_queue is
  'Runs waiting to start (not finished, no provider job yet), oldest first by the wait.';
