/**
 * Structured logs: one JSON line per event. Callers pass ids, counts and statuses, never user
 * content or secrets; errors are reduced to their name, code and message.
 */
type Fields = Record<string, unknown>;

function describeError(error: unknown) {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const status = (error as { status?: unknown }).status;
    return { name: error.name, message: error.message, ...(code ? { code } : {}), ...(status ? { status } : {}) };
  }
  return { message: String(error) };
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;
type Level = Exclude<keyof typeof LEVELS, "silent">;

/**
 * LOG_LEVEL (debug, info, warn, error, silent; default info) is read here rather than through
 * env(): the logger has to work when the rest of the configuration is invalid.
 */
function threshold(): number {
  const deno = (globalThis as { Deno?: { env: { get(name: string): string | undefined } } }).Deno;
  let configured: string | undefined;
  try {
    configured = deno ? deno.env.get("LOG_LEVEL") : process.env.LOG_LEVEL;
  } catch {
    configured = undefined; // no env permission: keep the default
  }
  return LEVELS[(configured ?? "info") as keyof typeof LEVELS] ?? LEVELS.info;
}

function write(level: Level, message: string, fields: Fields = {}) {
  if (LEVELS[level] < threshold()) return;
  const entry: Fields = { level, time: new Date().toISOString(), message };
  for (const [key, value] of Object.entries(fields)) {
    entry[key] = key === "error" ? describeError(value) : value;
  }
  const line = JSON.stringify(entry);
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

/** The project's logger. */
export const log = {
  debug: (message: string, fields?: Fields) => write("debug", message, fields),
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};
