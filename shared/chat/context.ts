import type { Database } from "../db/database.types.ts";
import type { Exchange } from "./prompt.ts";

/**
 * The model columns chat needs, read from the table behind the public view: chatting with someone
 * else's public fine-tune needs its provider model id, which the view shows to its owner only.
 * `provider` and `base_model` are those of the live fine-tune (`fine_tune_provider`), which a
 * retrain on another provider does not change until it completes.
 */
export type ChatModel = Pick<
  Database["private"]["Tables"]["fine_tuned_models"]["Row"],
  | "id"
  | "type"
  | "entity_name"
  | "description"
  | "book_info"
  | "openai_model_id"
  | "style_description"
  | "provider"
  | "base_model"
  | "greeting"
> & {
  chat_mode: "fine-tuned" | "persona";
  /** The caller owns the model: only then may their stored exchanges name its fine-tune. */
  owned: boolean;
};

export interface ChatContext {
  model: ChatModel;
  /** Earlier exchanges of the conversation, oldest first (empty for a new conversation). */
  history: Exchange[];
  /** The persona's first words stored for this conversation (an imported greeting), if any. */
  opening?: string | null;
}
