import type postgres from "postgres";
import { onDatabase } from "../db/client.ts";
import { isInsufficientPrivilege } from "../db/errors.ts";
import type { UserAuth } from "../auth/identity.ts";
import { notFound } from "../errors.ts";
import { spendEntriesJson } from "../db/spend.ts";
import type { SpendEntry } from "../llm/usage.ts";
import { noteSpend } from "./spend.ts";

export interface AnsweredExchange {
  modelId: string;
  conversationId: string;
  userMessage: string;
  aiResponse: string;
  tokensUsed: number;
  responseTimeMs: number;
  usedFallback: boolean;
  modelUsed: string;
  /** The persona's greeting a new conversation opened with, kept as its opening (null: none to keep). */
  opening: string | null;
  /** What the reply cost, for the spend ledger. */
  spend: SpendEntry;
}

/**
 * Stores an answered exchange for the user (their RLS must find the model; the row itself is the
 * service's to write, as clients may insert only imported exchanges), in one statement
 * and one durable commit (`private.store_chat_exchange`). The trigger gives it the next
 * message_order of the conversation, serialised per conversation, and the deferred trigger bumps
 * the model's chat_count and last_used_at at commit. The same statement adds the reply's spend to
 * the ledger (`private.record_spend`), so the exchange and its cost commit together or not at all.
 * The exchange's id (what a rating names) is then read by its unique (conversation, order): the
 * function answers the order only, and its row is not visible to the statement that inserted it.
 * A new conversation's greeting is kept then as its opening (`public.conversation_openings`).
 */
export async function storeExchange(
  auth: UserAuth,
  exchange: AnsweredExchange,
): Promise<{ chatId: string; messageOrder: number }> {
  try {
    return await onDatabase(async (sql) => {
      const [row] = await sql<{ message_order: number; cost_usd: string }[]>`
        select private.store_chat_exchange(
                 ${sql.json(auth.claims as postgres.JSONValue)}, ${exchange.modelId}, ${exchange.conversationId},
                 ${exchange.userMessage}, ${exchange.aiResponse}, ${exchange.tokensUsed},
                 ${exchange.responseTimeMs}, ${exchange.usedFallback}, ${exchange.modelUsed}) as message_order,
               private.record_spend(${sql.json(spendEntriesJson([exchange.spend]) as never)}::jsonb) as cost_usd`;
      noteSpend(Number(row.cost_usd));
      // The same round trip keeps a new conversation's opening (a retry finds it there already).
      const [stored] = await sql<{ id: string }[]>`
        with opened as (
          insert into public.conversation_openings (conversation_id, model_id, user_id, content)
          select ${exchange.conversationId}, m.id, ${auth.userId}, ${exchange.opening}::text
          from private.fine_tuned_models m
          where m.id = ${exchange.modelId} and ${exchange.opening}::text is not null and ${row.message_order} = 1
          on conflict (conversation_id) do nothing
        )
        select id from public.fine_tuned_chats
        where conversation_id = ${exchange.conversationId} and message_order = ${row.message_order}`;
      return { chatId: stored.id, messageOrder: row.message_order };
    });
  } catch (error) {
    // The model was deleted meanwhile, or the conversation is someone else's.
    if (isInsufficientPrivilege(error)) throw notFound("No such model or conversation.");
    throw error;
  }
}
