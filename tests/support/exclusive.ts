import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { stack } from "./stack.ts";

/**
 * Runs the calling suite alone among the suites that name the same `resource`, although suites run
 * in parallel on one stack: for state no suite can keep to itself, such as a fault armed on the
 * shared simulator. A Postgres advisory lock on the stack's database, held from beforeAll to afterAll.
 */
export function useExclusive(resource: string) {
  let holder: postgres.Sql | undefined;
  beforeAll(async () => {
    holder = postgres(stack().databaseUrl, { max: 1, onnotice: () => {} });
    await holder`select pg_advisory_lock(hashtext(${`storyvoice-tests:${resource}`}))`;
  }, 300_000);
  // Closing the session releases the lock.
  afterAll(async () => {
    await holder?.end({ timeout: 5 });
  });
}
