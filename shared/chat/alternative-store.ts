import type postgres from "postgres";
import type { UserAuth } from "../auth/identity.ts";
import { onDatabase, withUserTransaction } from "../db/client.ts";
import { spendEntriesJson } from "../db/spend.ts";
import { conflict, notFound } from "../errors.ts";
import type { ChatRating } from "./rating.ts";
import { noteSpend } from "./spend.ts";
import type { AnsweredExchange } from "./store.ts";

/** An exchange of the caller's, as another reply to it needs it. */
export interface OwnExchange {
  id: string;
  modelId: string;
  conversationId: string;
  messageOrder: number;
  userMessage: string;
  aiResponse: string;
}

const notLast = () =>
  conflict("Only the last exchange of a conversation can be answered again or change its chosen reply.");
const noExchange = () => notFound("No such exchange.");

/** The caller's exchange (RLS: anyone else's is a 404), which must be its conversation's last (else 409). */
export async function findLastExchange(auth: UserAuth, chatId: string): Promise<OwnExchange> {
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<(OwnExchange & { isLast: boolean })[]>`
      select c.id, c.model_id as "modelId", c.conversation_id as "conversationId",
             c.message_order as "messageOrder", c.user_message as "userMessage", c.ai_response as "aiResponse",
             not exists (select 1 from public.fine_tuned_chats l
                         where l.conversation_id = c.conversation_id and l.message_order > c.message_order) as "isLast"
      from public.fine_tuned_chats c where c.id = ${chatId}`
  );
  if (!row) throw noExchange();
  if (!row.isLast) throw notLast();
  const { isLast: _, ...exchange } = row;
  return exchange;
}

/**
 * A reply to store beside an exchange's others, chosen: an answered exchange's fields, for one that
 * exists (so never a conversation's opening).
 */
export type AlternativeReply = Omit<AnsweredExchange, "modelId" | "conversationId" | "opening"> & {
  chatId: string;
  kind: "regenerate" | "edit" | "continue";
  hint: string | null;
};

type Stored =
  | { outcome: "ok"; alternative_id: string; position: number; message_order: number; conversation_id: string }
  | { outcome: "not_found" | "not_last" };

/**
 * Stores the reply and its spend in one statement (`private.store_chat_alternative`): the spend is
 * recorded even when the exchange was meanwhile rewound (404) or followed by a new one (409), as
 * the provider bills it all the same.
 */
export async function storeAlternative(auth: UserAuth, reply: AlternativeReply) {
  const [row] = await onDatabase((sql) =>
    sql<{ stored: Stored; cost_usd: string }[]>`
      select private.store_chat_alternative(
               ${sql.json(auth.claims as postgres.JSONValue)}, ${reply.chatId}, ${reply.kind}, ${reply.hint},
               ${reply.userMessage}, ${reply.aiResponse}, ${reply.tokensUsed}, ${reply.responseTimeMs},
               ${reply.usedFallback}, ${reply.modelUsed}) as stored,
             private.record_spend(${sql.json(spendEntriesJson([reply.spend]) as never)}::jsonb) as cost_usd`
  );
  noteSpend(Number(row.cost_usd));
  const stored = row.stored;
  if (stored.outcome === "not_found") throw noExchange();
  if (stored.outcome !== "ok") throw notLast();
  return {
    alternativeId: stored.alternative_id,
    position: stored.position,
    messageOrder: stored.message_order,
    conversationId: stored.conversation_id,
  };
}

/** The stored replies of the caller's exchange, in order (RLS: none of anyone else's). */
export async function listAlternatives(auth: UserAuth, chatId: string) {
  return await withUserTransaction(auth, async (tx) => {
    const [exchange] = await tx<{ rating: ChatRating }[]>`
      select rating from public.fine_tuned_chats where id = ${chatId}`;
    if (!exchange) throw noExchange();
    const rows = await tx<{
      id: string; position: number; kind: "original" | "regenerate" | "edit" | "continue"; hint: string | null;
      user_message: string; ai_response: string; chosen: boolean; rating: ChatRating; used_fallback: boolean;
      created_at: Date;
    }[]>`
      select id, position, kind, hint, user_message, ai_response, chosen, rating, used_fallback, created_at
      from public.chat_alternatives where chat_id = ${chatId} order by position`;
    return rows.map((row) => ({
      alternativeId: row.id,
      position: row.position,
      kind: row.kind,
      hint: row.hint,
      message: row.user_message,
      response: row.ai_response,
      chosen: row.chosen,
      // The chosen reply's rating lives on the exchange, where the reader rates it.
      rating: row.chosen ? exchange.rating : row.rating,
      usingFallback: row.used_fallback,
      createdAt: row.created_at.toISOString(),
    }));
  });
}

/** Chooses one of the caller's exchange's replies; answers the exchange as it now reads. */
export async function chooseAlternative(auth: UserAuth, chatId: string, alternativeId: string) {
  return await onDatabase(async (sql) => {
    const [{ chosen }] = await sql<{ chosen: { outcome: "ok" | "not_found" | "not_last" } }[]>`
      select private.choose_chat_alternative(${sql.json(auth.claims as postgres.JSONValue)}, ${chatId}, ${alternativeId}) as chosen`;
    if (chosen.outcome === "not_found") throw notFound("No such exchange or reply.");
    if (chosen.outcome === "not_last") throw notLast();
    const [exchange] = await sql<{ user_message: string; ai_response: string; rating: ChatRating }[]>`
      select user_message, ai_response, rating from public.fine_tuned_chats where id = ${chatId}`;
    return { chatId, alternativeId, message: exchange.user_message, response: exchange.ai_response, rating: exchange.rating };
  });
}

/**
 * Rewinds the caller's conversation to before `chatId`: that exchange and every later one go, with
 * their replies and the examples taken from them (`private.rewind_conversation`); they leave
 * chat_count. Spend and quota turns stay: the provider was paid, and giving turns back would let a
 * rewind loop chat past the quota.
 */
export async function rewindConversation(auth: UserAuth, chatId: string): Promise<number> {
  const [{ removed }] = await onDatabase((sql) =>
    sql<{ removed: number | null }[]>`
      select private.rewind_conversation(${sql.json(auth.claims as postgres.JSONValue)}, ${chatId}) as removed`
  );
  if (removed === null) throw noExchange();
  return removed;
}
