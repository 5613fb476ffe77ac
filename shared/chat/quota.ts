import { withServiceTransaction } from "../db/client.ts";
import { env } from "../env.ts";
import { tooManyRequests } from "../errors.ts";

/** Midnight UTC after `now`, when the daily quota resets. */
export function nextQuotaReset(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/**
 * Takes one of the user's chat turns for today (UTC), or answers 429 with the reset time. The
 * quota is the user's plan's (`chat_messages_per_day`), else DAILY_CHAT_QUOTA. One
 * statement with a row lock on the user's counter, so parallel requests cannot all slip under the
 * quota. Give the turn back with `returnChatTurn` when no exchange gets stored. (A one-to-one turn
 * takes its turn inside `beginChatTurn`; a group round takes one per reply here.)
 */
export async function takeChatTurn(userId: string): Promise<void> {
  const [taken] = await withServiceTransaction((tx) =>
    tx<{ quota: number; used: number | null }[]>`
      with quota as (select private.chat_quota_of(${userId}, ${env().DAILY_CHAT_QUOTA}) as daily),
      taken as (
        insert into private.daily_chat_usage as u (user_id, day, used)
        select ${userId}, (now() at time zone 'utc')::date, 1 from quota where quota.daily > 0
        on conflict (user_id, day) do update set used = u.used + 1
        where u.used < (select daily from quota)
        returning u.used)
      select quota.daily as quota, (select used from taken) as used from quota`
  );
  if (taken.used === null) throw chatQuotaExceeded(taken.quota);
}

/** The 429 of a spent daily chat quota (the user's plan's, else DAILY_CHAT_QUOTA). */
export function chatQuotaExceeded(quota: number) {
  return tooManyRequests(`Daily chat quota of ${quota} messages reached.`, nextQuotaReset());
}

/** Gives back a turn taken today for a request that stored nothing. */
export async function returnChatTurn(userId: string): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`
      update private.daily_chat_usage set used = used - 1
      where user_id = ${userId} and day = (now() at time zone 'utc')::date and used > 0`
  );
}
