import type { UserAuth } from "../auth/identity.ts";
import { withUserTransaction } from "../db/client.ts";
import { env } from "../env.ts";
import { nextUtcMidnight } from "./quotas.ts";

/** One quota of the user's plan and how much of it is in use. */
export interface QuotaUse {
  used: number;
  limit: number;
}

/** A user's own usage against their plan, as `GET /fine-tune-usage` answers it. */
export interface UserUsage {
  plan: { id: string; name: string };
  /** When today's (UTC) daily quotas reset. */
  resetAt: string;
  quotas: {
    modelsPerDay: QuotaUse;
    trainingsInFlight: QuotaUse;
    chatMessagesPerDay: QuotaUse;
    maxExamples: number;
  };
  /** Estimated USD the caller's chats, personas' teacher runs, trainings and speech cost today (UTC). */
  spendTodayUsd: number;
  /** The last `days` UTC days, oldest first, today last. */
  days: UsageDay[];
}

/** One UTC day of a user's usage. */
export interface UsageDay {
  day: string;
  chats: number;
  models: number;
  spendUsd: number;
}

/**
 * The caller's usage: their plan (private.plan_quotas, the env defaults for its null quotas), what
 * today's counters hold, their trainings in flight and the last `days` UTC days of chat messages,
 * model creations and spend (the ledger), in one statement. The counters are the ones the quotas are taken from, so
 * the page and the 429s always agree. The user must still exist (else 401).
 */
export async function readUsage(auth: UserAuth, days: number): Promise<UserUsage> {
  const settings = env();
  const row = await withUserTransaction(auth, async (tx) => {
    // The counters are the service's: read them on its path, for this user only.
    await tx`select set_config('role', 'service_role', true)`;
    const [usage] = await tx<{
      plan: string;
      plan_name: string;
      models_per_day: number;
      trainings_in_flight: number;
      chat_messages_per_day: number;
      max_examples: number;
      in_flight: number;
      days: UsageDay[];
    }[]>`
      select q.plan, q.plan_name, q.models_per_day, q.trainings_in_flight, q.chat_messages_per_day, q.max_examples,
             -- Started ones only: the ones the plan's cap holds; more may wait in the queue.
             private.started_trainings_of(${auth.userId}) as in_flight,
             (select jsonb_agg(jsonb_build_object('day', to_char(d.day, 'YYYY-MM-DD'),
                                                  'chats', coalesce(c.used, 0), 'models', coalesce(u.created, 0),
                                                  'spendUsd', coalesce((select round(sum(l.cost_usd), 6) from private.spend_ledger l
                                                                        where l.user_id = ${auth.userId} and l.day = d.day::date), 0))
                               order by d.day)
              from generate_series((now() at time zone 'utc')::date - (${days} - 1), (now() at time zone 'utc')::date,
                                   interval '1 day') as d (day)
              left join private.daily_chat_usage c on c.user_id = ${auth.userId} and c.day = d.day::date
              left join private.daily_model_usage u on u.user_id = ${auth.userId} and u.day = d.day::date) as days
      from private.plan_quotas(${auth.userId}, ${settings.MODEL_CREATE_DAILY_QUOTA}, ${settings.TRAININGS_IN_FLIGHT_PER_USER},
                               ${settings.DAILY_CHAT_QUOTA}, ${settings.MAX_TRAINING_EXAMPLES}) q`;
    await tx`select set_config('role', 'authenticated', true)`;
    return usage;
  });
  const today = row.days[row.days.length - 1];
  return {
    plan: { id: row.plan, name: row.plan_name },
    resetAt: nextUtcMidnight().toISOString(),
    quotas: {
      modelsPerDay: { used: today.models, limit: row.models_per_day },
      trainingsInFlight: { used: row.in_flight, limit: row.trainings_in_flight },
      chatMessagesPerDay: { used: today.chats, limit: row.chat_messages_per_day },
      maxExamples: row.max_examples,
    },
    spendTodayUsd: today.spendUsd,
    days: row.days,
  };
}
