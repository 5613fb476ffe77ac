/** Connection-level failures: the database is down, restarting or unreachable (answer 503). */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  // Writing to a connection the server closed while shutting down.
  "EPIPE",
  "ECONNABORTED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** True when the error means "the database could not be reached", not "the query was wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = codeOf(error);
  if (!code) return false;
  return UNAVAILABLE_CODES.has(code) || code.startsWith("08");
}

/** SQLSTATE 23505: a unique index refused the row (e.g. a second live model for one entity). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (codeOf(error) !== "23505") return false;
  return !constraint || (error as { constraint_name?: string }).constraint_name === constraint;
}

/** SQLSTATE 42501: RLS or a privilege refused the statement. */
export function isInsufficientPrivilege(error: unknown): boolean {
  return codeOf(error) === "42501";
}
