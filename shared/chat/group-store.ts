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
 * Stores a whole round for the user in one transaction (their RLS decides the conversation and the
 * personas; the replies themselves are written on the service path): the conversation and its participants when it is new, then the reader's message and
 * every reply. The order trigger's lock is held to commit, so the round's orders are contiguous and
 * gap-free; the deferred trigger counts each reply in its persona's chat_count; the replies' spend
 * goes to the ledger in the same transaction. Returns the order and id of each reply, in order.
 */
export async function storeGroupRound(auth: UserAuth, round: {
  conversationId: string;
  /** Set for a new conversation: its participants, in order. */
  newParticipants?: string[];
  userMessage: string;
  replies: AnsweredGroupReply[];
}): Promise<{ replyOrders: number[]; replyIds: string[] }> {
  try {
    const rows = await withUserTransaction(auth, async (tx) => {
      if (round.newParticipants) {
        await tx`insert into public.group_conversations (id) values (${round.conversationId})`;
        await tx`
          insert into public.group_conversation_participants (conversation_id, model_id, position)
          select ${round.conversationId}, p.model_id, p.position
          from unnest(${round.newParticipants}::uuid[]) with ordinality as p(model_id, position)`;
      }
      // The reader's message as the user (RLS: their own conversation, role user only).
      const [asked] = await tx<{ id: string; message_order: number }[]>`
        insert into public.group_messages (conversation_id, role, content)
        values (${round.conversationId}, 'user', ${round.userMessage})
        returning id, message_order`;
      // Replies are the service's to write (clients may not put words in a persona's mouth): first,
      // under the user's RLS, every replying persona must take part and still be theirs to see.
      const replying = [...new Set(round.replies.map((reply) => reply.modelId))];
      const [{ found }] = await tx<{ found: number }[]>`
        select count(*)::int as found
        from public.group_conversation_participants p
        join private.fine_tuned_models m on m.id = p.model_id
        where p.conversation_id = ${round.conversationId} and p.model_id = any(${replying}::uuid[])`;
      if (found !== replying.length) throw notFound("No such model or conversation.");
      await tx`select set_config('role', 'service_role', true)`;
      const replies = round.replies.map((reply) => ({
        conversation_id: round.conversationId, user_id: auth.userId, role: "assistant", model_id: reply.modelId,
        speaker_name: reply.name, content: reply.text, tokens_used: reply.tokensUsed,
        response_time_ms: reply.responseTimeMs, used_fallback: reply.usedFallback, model_used: reply.modelUsed,
      }));
      // Rows are numbered in the order the list gives them, after the reader's message.
      const answered = replies.length === 0 ? [] : await tx<{ id: string; message_order: number }[]>`
        insert into public.group_messages ${tx(replies)}
        returning id, message_order`;
      const stored = [asked, ...answered];
      // The ledger is the service's too, in the same transaction.
      await recordSpend(tx, round.replies.map((reply) => reply.spend));
      return stored;
    });
    const replies = [...rows].sort((a, b) => a.message_order - b.message_order).slice(1);
    return { replyOrders: replies.map((row) => row.message_order), replyIds: replies.map((row) => row.id) };
  } catch (error) {
    // A persona was deleted or hidden meanwhile, or the conversation is someone else's.
    if (isInsufficientPrivilege(error)) throw notFound("No such model or conversation.");
    throw error;
  }
}
