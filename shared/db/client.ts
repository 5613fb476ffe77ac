import type postgres from "postgres";
import { env } from "../env.ts";
import type { UserAuth } from "../auth/identity.ts";
import { userNotFound } from "../errors.ts";
import { isDatabaseUnavailable } from "./errors.ts";
import { guardNullSocketWrites } from "./null-socket-guard.ts";
import { usesPreparedStatements } from "./prepared-statements.ts";

/** A postgres.js transaction handle. */
export type Sql = postgres.Sql;
export type Transaction = postgres.TransactionSql;

let pool: Sql | undefined;

/**
 * Seconds before a closed connection tries again. postgres.js's default backs off exponentially on
 * a counter shared by the pool (up to 20 s) and only resets it on a successful connection, so after
 * a database restart under load the first requests waited out the backoff (about 17 s, measured).
 * A short constant keeps requests failing fast during an outage and succeeding right after it.
 */
const RECONNECT_DELAY_S = 0.05;

/** postgres.js, loaded with the first query rather than at import (it weighs on cold starts). */
let driver: typeof postgres | undefined;

/**
 * The shared connection pool: prepared statements where the connection allows them (see
 * `usesPreparedStatements`); timestamps come back as Date, bigints as numbers (counts stay far
 * below 2^53).
 */
async function database(): Promise<Sql> {
  if (pool) return pool;
  driver ??= (await import("postgres")).default;
  if (pool) return pool;
  guardNullSocketWrites(retirePool);
  const postgres = driver;
  pool = postgres(env().SUPABASE_DB_URL, {
    prepare: usesPreparedStatements(env().SUPABASE_DB_URL, env().DB_PREPARED_STATEMENTS),
    max: env().DB_POOL_SIZE,
    idle_timeout: 20,
    // A database that does not answer the handshake is a 503 well within the 5 s a request may take.
    connect_timeout: 2,
    backoff: () => RECONNECT_DELAY_S,
    onnotice: () => {},
    types: { bigint: postgres.BigInt },
    transform: { undefined: null },
    // UTC, as the Data API answers: rows rendered to JSON in SQL then match it to the character.
    connection: { application_name: "storyvoice", TimeZone: "UTC" },
  });
  return pool;
}

/** Seconds the queries of a retired pool may still take before its connections are destroyed. */
const RETIRED_POOL_GRACE_S = 2;

/**
 * Replaces the pool after a connection-level failure. postgres.js 3.4.9 can leave a connection
 * whose socket closed with a write it never flushes (its deferred-write timer is cleared but not
 * reset; see null-socket-guard.ts for the upstream issues): that connection then hangs every
 * query and every reconnect. New requests get fresh connections at once; queries still running on
 * the old pool get a short grace, then fail (503) instead of hanging.
 */
function retirePool(): void {
  const retired = pool;
  pool = undefined;
  retired?.end({ timeout: RETIRED_POOL_GRACE_S }).catch(() => {});
}

/** Runs `work` on the pool; a connection-level failure retires the pool before it is rethrown. */
export async function onDatabase<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = await database();
  try {
    return await work(sql);
  } catch (error) {
    if (isDatabaseUnavailable(error) && pool === sql) retirePool();
    throw error;
  }
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
  return onDatabase((sql) => sql.begin((tx) =>
    asRole(
      tx,
      tx<{ user_exists: boolean }[]>`
        select exists (select 1 from auth.users where id = ${userId}) as user_exists,
               set_config('role', 'authenticated', true),
               set_config('request.jwt.claims', ${JSON.stringify(auth.claims)}, true)`,
      work,
      (rows) => (rows[0]?.user_exists ? undefined : userNotFound()),
    )
  ) as Promise<T>);
}

/** Runs `work` on the explicit service path (sync, webhook, background jobs): RLS is bypassed. */
export function withServiceTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
  return onDatabase((sql) =>
    sql.begin((tx) => asRole(tx, tx`select set_config('role', 'service_role', true)`, work)) as Promise<T>
  );
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
