import type { UserAuth } from "../auth/identity.ts";
import { withUserTransaction } from "../db/client.ts";
import { notFound } from "../errors.ts";

/** A reply's rating: `up`, `down`, or none. */
export type ChatRating = "up" | "down" | null;

/**
 * Rates one exchange as the user who chatted. RLS shows and lets update only the caller's own
 * exchanges, and the column grant only their rating, so anyone else's chat is a 404.
 */
export async function rateExchange(auth: UserAuth, chatId: string, rating: ChatRating): Promise<ChatRating> {
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<{ rating: ChatRating }[]>`
      update public.fine_tuned_chats set rating = ${rating} where id = ${chatId} returning rating`
  );
  if (!row) throw notFound("No such exchange.");
  return row.rating;
}
