import postgres from "postgres";

const repoRoot = new URL("../../", import.meta.url).pathname;

/** Runs a SQL file of several statements (simple query protocol). */
async function runSqlFile(sql: postgres.Sql, path: string) {
  await sql.unsafe(await Deno.readTextFile(path));
}

/** Applies the migrations with the Supabase CLI, exactly as `supabase migration up` does for a project. */
async function applyMigrations(url: string) {
  const output = await new Deno.Command(`${repoRoot}node_modules/.bin/supabase`, {
    args: ["migration", "up", `--remote=${url}`, "--yes", "--workdir", repoRoot],
    stdout: "piped",
    stderr: "piped",
    env: { SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  // A local data folder made before the migrations were renamed records versions this checkout
  // lacks; the local database is throwaway, so the way out is a new one.
  const hint = text.includes("Remote migration versions not found")
    ? "\nThe database applied migrations under names this checkout no longer has: for the local stack, delete its data folder (.supabase-local/ or STORYVOICE_DATA_DIR) and start again."
    : "";
  if (!output.success) throw new Error(`supabase migration up failed:\n${text}${hint}`);
  for (const line of text.split("\n")) {
    if (line.startsWith("Applying migration")) console.log(line);
  }
}

/**
 * Prepares a database for the functions: the Supabase bootstrap where it is missing (a plain
 * Postgres), the migrations, and on a new database the seed.
 */
export async function prepareDatabase(url: string, options: { seed: boolean }) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ has_auth }] = await sql`select to_regnamespace('auth') is not null as has_auth`;
    const [{ has_roles }] = await sql`select count(*) = 3 as has_roles from pg_roles
      where rolname in ('anon', 'authenticated', 'service_role')`;
    // A Supabase database (hosted or `supabase start`) already has all of this.
    if (!has_auth || !has_roles) await runSqlFile(sql, `${repoRoot}supabase/local/bootstrap.sql`);
    await applyMigrations(url);
    if (options.seed) await runSqlFile(sql, `${repoRoot}supabase/seed.sql`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
