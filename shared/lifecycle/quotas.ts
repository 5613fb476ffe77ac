import type { Transaction } from "../db/client.ts";
import { env } from "../env.ts";
import { tooManyRequests } from "../errors.ts";

/** How soon a user with a full training queue may try again: the sync's cadence, when a training may finish. */
export const IN_FLIGHT_RETRY_SECONDS = 60;

/** What `private.reserve_trainings` answers. */
interface Reservation {
  outcome: "ok" | "models_per_day" | "trainings_queued";
  limit: number;
  used: number;
  plan: string;
}

/** Midnight UTC after `now`, when the daily creation quota resets. */
export function nextUtcMidnight(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/**
 * Takes `models` of the user's model creations for today (UTC) and room for `trainings` more
 * unfinished training runs, under the user's plan (each null quota: MODEL_CREATE_DAILY_QUOTA,
 * TRAININGS_IN_FLIGHT_PER_USER), or throws the 429 and takes nothing. Runs past the trainings in
 * flight are accepted and wait in the training queue (its start gate holds them), up to
 * TRAININGS_QUEUED_PER_USER more; only past that is a create refused. Call it first in the
 * transaction that writes the models or runs: it locks the user's counter until that transaction
 * ends, so a burst is served one by one, and a rollback (a 409, a failed insert) gives the
 * creations back. `tx` may be a user transaction: the reservation runs on the service path and
 * the transaction is handed back as the user.
 *
 * A batch create takes all its models at once (`models: n, trainings: n`): all or none.
 */
export async function reserveTrainings(
  tx: Transaction,
  userId: string,
  counts: { models: number; trainings: number },
  options: { asUser?: boolean } = {},
): Promise<void> {
  const settings = env();
  if (options.asUser) await tx`select set_config('role', 'service_role', true)`;
  const [{ reservation }] = await tx<{ reservation: Reservation }[]>`
    select private.reserve_trainings(${userId}, ${counts.models}, ${counts.trainings},
                                     ${settings.MODEL_CREATE_DAILY_QUOTA}, ${settings.TRAININGS_IN_FLIGHT_PER_USER},
                                     ${settings.TRAININGS_QUEUED_PER_USER}) as reservation`;
  if (options.asUser) await tx`select set_config('role', 'authenticated', true)`;
  if (reservation.outcome === "models_per_day") {
    throw tooManyRequests(
      `Daily model quota of ${reservation.limit} reached (${reservation.plan} plan); it resets at midnight UTC.`,
      nextUtcMidnight(),
      { quota: "models_per_day", limit: reservation.limit },
    );
  }
  if (reservation.outcome === "trainings_queued") {
    throw tooManyRequests(
      `You have ${reservation.used} trainings in flight or queued, the most your ${reservation.plan} plan allows; ` +
        "try again once one has finished.",
      new Date(Date.now() + IN_FLIGHT_RETRY_SECONDS * 1000),
      { quota: "trainings_queued", limit: reservation.limit },
    );
  }
}
