import { withServiceTransaction } from "../db/client.ts";

/** Midnight UTC after `now`, when the daily quota resets. */
export function nextQuotaReset(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** Gives back a turn taken today for a request that stored nothing. */
export async function returnChatTurn(userId: string): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update private.daily_chat_usage set used = used - 1
      where user_id = ${userId} and day = (now() at time zone 'utc')::date and used > 0`
  );
}
