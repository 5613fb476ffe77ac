import { withUserTransaction } from "../db/client.ts";
import { isInsufficientPrivilege } from "../db/errors.ts";
import type { UserAuth } from "../auth/identity.ts";
import { notFound } from "../errors.ts";
import { recordSpend } from "../db/spend.ts";
import type { SpendEntry } from "../llm/usage.ts";

/** One persona's answered reply, ready to store. */
export interface AnsweredGroupReply {
  modelId: string;
  name: string;
  text: string;
  tokensUsed: number;
  responseTimeMs: number;
  usedFallback: boolean;
  modelUsed: string;
  /** What the reply cost, for the spend ledger. */
  spend: SpendEntry;
}

/**
 * Stores a whole round as the user (RLS: their own conversation, personas they may see) in one
 * transaction: the conversation and its participants when it is new, then the reader's message and
 * every reply. The order trigger's lock is held to commit, so the round's orders are contiguous and
 * gap-free; the deferred trigger counts each reply in its persona's chat_count; the replies' spend
 * goes to the ledger in the same transaction. Returns the order of each reply.
 */
export async function storeGroupRound(auth: UserAuth, round: {
  conversationId: string;
  /** Set for a new conversation: its participants, in order. */
  newParticipants?: string[];
  userMessage: string;
  replies: AnsweredGroupReply[];
}): Promise<{ replyOrders: number[] }> {
  try {
    const rows = await withUserTransaction(auth, async (tx) => {
      if (round.newParticipants) {
        await tx`insert into public.group_conversations (id) values (${round.conversationId})`;
        await tx`
          insert into public.group_conversation_participants (conversation_id, model_id, position)
          select ${round.conversationId}, p.model_id, p.position
          from unnest(${round.newParticipants}::uuid[]) with ordinality as p(model_id, position)`;
      }
      const messages = [
        { role: "user", model_id: null, speaker_name: null, content: round.userMessage, tokens_used: 0,
          response_time_ms: null, used_fallback: null, model_used: null },
        ...round.replies.map((reply) => ({
          role: "assistant", model_id: reply.modelId, speaker_name: reply.name, content: reply.text,
          tokens_used: reply.tokensUsed, response_time_ms: reply.responseTimeMs, used_fallback: reply.usedFallback,
          model_used: reply.modelUsed,
        })),
      ].map((message) => ({ conversation_id: round.conversationId, ...message }));
      // Rows are numbered in the order the list gives them: the reader's message, then the replies.
      const stored = await tx<{ message_order: number }[]>`
        insert into public.group_messages ${tx(messages)}
        returning message_order`;
      // The ledger is the service's: leave the user's role for that one write, in the same transaction.
      await tx`select set_config('role', 'service_role', true)`;
      await recordSpend(tx, round.replies.map((reply) => reply.spend));
      return stored;
    });
    const orders = rows.map((row) => row.message_order).sort((a, b) => a - b);
    return { replyOrders: orders.slice(1) };
  } catch (error) {
    // A persona was deleted or hidden meanwhile, or the conversation is someone else's.
    if (isInsufficientPrivilege(error)) throw notFound("No such model or conversation.");
    throw error;
  }
}
