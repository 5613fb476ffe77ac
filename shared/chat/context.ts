import { withUserTransaction } from "../db/client.ts";
import type { UserAuth } from "../auth/identity.ts";
import type { Database } from "../db/database.types.ts";
import { notFound } from "../errors.ts";
import type { Exchange } from "./prompt.ts";

/** Exchanges loaded for context; the token budget then keeps the newest that fit. */
const HISTORY_LIMIT = 50;

/**
 * The model columns chat needs, read from the table behind the public view: chatting with someone
 * else's public fine-tune needs its provider model id, which the view shows to its owner only.
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
}

/**
 * Everything a chat turn needs, in one round trip as the user (the table's RLS decides): the model (404 when
 * the user may not see it) and the conversation's recent exchanges (404 when the conversation is
 * not the user's own with this model).
 */
export async function loadChatContext(auth: UserAuth, modelId: string, conversationId?: string): Promise<ChatContext> {
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<(ChatModel & { conversation_found: boolean; history: Exchange[] })[]>`
      select m.id, m.type, m.entity_name, m.description, m.book_info, m.openai_model_id,
             m.style_description, m.greeting, m.chat_mode, m.provider, m.base_model, m.created_by = ${auth.userId} as owned,
             ${conversationId ?? null}::uuid is null or exists (
               select 1 from public.fine_tuned_chats c
               where c.conversation_id = ${conversationId ?? null}::uuid and c.model_id = m.id) as conversation_found,
             coalesce((
               select json_agg(json_build_object('user', h.user_message, 'assistant', h.ai_response)
                               order by h.message_order)
               from (select c.user_message, c.ai_response, c.message_order
                     from public.fine_tuned_chats c
                     where c.conversation_id = ${conversationId ?? null}::uuid and c.model_id = m.id
                     order by c.message_order desc
                     limit ${HISTORY_LIMIT}) h
             ), '[]'::json) as history
      from private.fine_tuned_models m
      where m.id = ${modelId}`
  );
  if (!row) throw notFound("No such model.");
  if (!row.conversation_found) throw notFound("No such conversation.");
  const { conversation_found: _found, history, ...model } = row;
  return { model, history };
}
