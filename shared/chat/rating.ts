import type { UserAuth } from "../auth/identity.ts";
import { withUserTransaction } from "../db/client.ts";
import { notFound } from "../errors.ts";

/** A reply's rating: `up`, `down`, or none. */
export type ChatRating = "up" | "down" | null;

/**
 * Rates one reply as the user who chatted: a one-to-one exchange, else a group conversation's
 * reply (ids are UUIDs, so one id names one of them). RLS shows and lets update only the caller's
 * own replies, and the column grant only their rating, so anyone else's is a 404.
 */
export async function rateExchange(auth: UserAuth, chatId: string, rating: ChatRating): Promise<ChatRating> {
  const [row] = await withUserTransaction(auth, async (tx) => {
    const exchange = await tx<{ rating: ChatRating }[]>`
      update public.fine_tuned_chats set rating = ${rating} where id = ${chatId} returning rating`;
    if (exchange.length > 0) return exchange;
    return await tx<{ rating: ChatRating }[]>`
      update public.group_messages set rating = ${rating} where id = ${chatId} and role = 'assistant' returning rating`;
  });
  if (!row) throw notFound("No such exchange.");
  return row.rating;
}
