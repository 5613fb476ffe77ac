-- Every answered chat bumps its model's chat_count and last_used_at (bump_model_chat_stats, the
-- only writer of chat_count). That bump is not an edit of the model: the triggers that react to
-- edits skip it, instead of comparing the whole row as jsonb on the path of every chat.

drop trigger set_updated_at on private.fine_tuned_models;
-- Bumps updated_at when anything but the bookkeeping columns changes; a chat-count bump never does.
create trigger set_updated_at
  before update on private.fine_tuned_models
  for each row
  when (old.chat_count is not distinct from new.chat_count)
  execute function private.set_updated_at_on_edit('chat_count', 'last_used_at', 'entity_key', 'chat_mode');

drop trigger set_chat_mode on private.fine_tuned_models;
-- Derives chat_mode for a new model.
create trigger set_chat_mode
  before insert on private.fine_tuned_models
  for each row execute function private.set_chat_mode();
-- Derives chat_mode again when the live fine-tune or its retirement changes.
create trigger set_chat_mode_on_update
  before update on private.fine_tuned_models
  for each row
  when (old.openai_model_id is distinct from new.openai_model_id
        or old.fine_tuned_model_retired_at is distinct from new.fine_tuned_model_retired_at
        or old.chat_mode is distinct from new.chat_mode)
  execute function private.set_chat_mode();
