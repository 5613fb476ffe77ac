/**
 * Whether the pool may use prepared statements (DB_PREPARED_STATEMENTS, `auto` by default). A
 * direct connection and the session pooler keep them, and then each statement with parameters is
 * one round trip: without them postgres.js asks the server for the parameter types first, a second
 * round trip per statement (about 1-2 ms of a chat turn's two statements, measured). Supavisor's
 * (and PgBouncer's) transaction mode, port 6543, does not support them: `auto` turns them off there.
 */
export function usesPreparedStatements(databaseUrl: string, setting: "auto" | "true" | "false"): boolean {
  if (setting !== "auto") return setting === "true";
  return new URL(databaseUrl).port !== "6543";
}
