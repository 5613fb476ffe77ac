import postgres from "postgres";
import { env } from "../env.ts";
import type { UserAuth } from "../http/auth.ts";

/** A postgres.js transaction handle. */
export type Sql = postgres.Sql;
export type Transaction = postgres.TransactionSql;

let pool: Sql | undefined;

/**
 * The shared connection pool. `prepare: false` keeps it usable behind Supabase's transaction
 * pooler; timestamps come back as Date, bigints as numbers (counts stay far below 2^53).
 */
export function database(): Sql {
  pool ??= postgres(env().SUPABASE_DB_URL, {
    prepare: false,
    max: env().DB_POOL_SIZE,
    idle_timeout: 20,
    connect_timeout: 5,
    onnotice: () => {},
    types: { bigint: postgres.BigInt },
    transform: { undefined: null },
    // UTC, as the Data API answers: rows rendered to JSON in SQL then match it to the character.
    connection: { application_name: "storyvoice", TimeZone: "UTC" },
  });
  return pool;
}

/**
 * Runs `work` as the calling user, as PostgREST would: role `authenticated` and the verified JWT
 * claims for `auth.uid()`. Row Level Security decides what the user may read and write.
 */
export function withUserTransaction<T>(auth: UserAuth, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return database().begin((tx) =>
    asRole(
      tx,
      tx`select set_config('role', 'authenticated', true),
                set_config('request.jwt.claims', ${JSON.stringify(auth.claims)}, true)`,
      work,
    )
  ) as Promise<T>;
}

/** Runs `work` on the explicit service path (sync, webhook, background jobs): RLS is bypassed. */
export function withServiceTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
  return database().begin((tx) => asRole(tx, tx`select set_config('role', 'service_role', true)`, work)) as Promise<T>;
}

/**
 * Sends the role switch without waiting for it, so postgres.js pipelines it ahead of the first
 * query of `work` (one round trip less per request). Queries of a transaction run in order, so
 * `work` never runs without the role; if the switch failed, `work` fails on the aborted transaction
 * and the switch's own error is the one reported.
 */
async function asRole<T>(tx: Transaction, roleSwitch: postgres.PendingQuery<postgres.Row[]>, work: (tx: Transaction) => Promise<T>) {
  const switched = roleSwitch.then(() => undefined, (error: unknown) => error);
  let result: T;
  try {
    result = await work(tx);
  } catch (error) {
    throw (await switched) ?? error;
  }
  const failure = await switched;
  if (failure) throw failure;
  return result;
}

/** Closes the pool (tests, local stack shutdown). */
export async function closeDatabase(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.end({ timeout: 5 });
}
