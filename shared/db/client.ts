import postgres from "postgres";
import { env } from "../env.ts";
import type { UserAuth } from "../auth/identity.ts";
import { userNotFound } from "../errors.ts";

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `work` as the calling user, as PostgREST would: role `authenticated` and the verified JWT
 * claims for `auth.uid()`. Row Level Security decides what the user may read and write.
 *
 * The same statement asks whether the user still exists in `auth.users` (its privileges are checked
 * before its own role switch applies): a valid token of a deleted user is a 401 `user_not_found`,
 * and the transaction rolls back, whatever `work` did or failed on meanwhile.
 */
export function withUserTransaction<T>(auth: UserAuth, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const userId = UUID.test(auth.userId) ? auth.userId : null;
  return database().begin((tx) =>
    asRole(
      tx,
      tx<{ user_exists: boolean }[]>`
        select exists (select 1 from auth.users where id = ${userId}) as user_exists,
               set_config('role', 'authenticated', true),
               set_config('request.jwt.claims', ${JSON.stringify(auth.claims)}, true)`,
      work,
      (rows) => (rows[0]?.user_exists ? undefined : userNotFound()),
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
 * `work` never runs without the role; if the switch failed, or `refuse` finds a reason in its
 * result, `work` fails or is undone and that reason is the error reported.
 */
async function asRole<T, R extends postgres.Row[]>(
  tx: Transaction,
  roleSwitch: postgres.PendingQuery<R>,
  work: (tx: Transaction) => Promise<T>,
  refuse: (rows: R) => Error | undefined = () => undefined,
) {
  const switched = roleSwitch.then((rows) => refuse(rows), (error: unknown) => error);
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
