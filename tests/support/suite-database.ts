import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { closeDatabase } from "../../shared/db/client.ts";
import { closeAdminSql, setSuiteDatabaseUrl, stack } from "./stack.ts";

function withDatabaseName(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

async function onStackDatabase(statement: (sql: postgres.Sql) => Promise<unknown>) {
  const sql = postgres(stack().databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await statement(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Gives the calling suite its own database, cloned from the migrated template, for in-process
 * tests: adminSql() and useStackEnvironment() point at it, so the suite sees only its own rows.
 * Call it before the suite's other hooks (its clean-up then runs after theirs); the database, and
 * any connection still on it, is dropped when the suite is done.
 */
export function useSuiteDatabase() {
  const name = `storyvoice_suite_${crypto.randomUUID().replaceAll("-", "")}`;
  beforeAll(async () => {
    await onStackDatabase((sql) => sql`create database ${sql(name)} template ${sql(stack().templateDatabase)}`);
    setSuiteDatabaseUrl(withDatabaseName(stack().databaseUrl, name));
  });
  afterAll(async () => {
    await closeDatabase();
    await closeAdminSql();
    setSuiteDatabaseUrl(undefined);
    await onStackDatabase((sql) => sql`drop database if exists ${sql(name)} with (force)`);
  });
}
