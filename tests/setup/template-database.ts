import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import postgres from "postgres";

const repoRoot = new URL("../../", import.meta.url).pathname;

/** The migrated database every integration suite clones its own database from. */
export const TEMPLATE_DATABASE = "storyvoice_template";

/** `url` with another database name. */
export function databaseUrlFor(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/**
 * Creates the template next to the stack's database, as the stack prepares its own: the Supabase
 * bootstrap, then the migrations with the Supabase CLI (no seed: suites arrange their own rows).
 * pg_cron lives only in the stack's database (`cron.database_name`) and refuses to be created in any
 * other, so while the migrations run the template reports it as already there; without its schema
 * they take the path of a database without pg_cron, and the marker is removed afterwards.
 */
export async function createTemplateDatabase(stackUrl: string): Promise<string> {
  const maintenance = postgres(stackUrl, { max: 1, onnotice: () => {} });
  try {
    await maintenance`create database ${maintenance(TEMPLATE_DATABASE)}`;
  } finally {
    await maintenance.end({ timeout: 5 });
  }

  const url = databaseUrlFor(stackUrl, TEMPLATE_DATABASE);
  const template = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await template.unsafe(readFileSync(`${repoRoot}supabase/local/bootstrap.sql`, "utf8"));
    const [{ preloaded }] = await template`
      select coalesce(current_setting('shared_preload_libraries', true), '') like '%pg_cron%' as preloaded`;
    if (preloaded) {
      await template`
        insert into pg_catalog.pg_extension (oid, extname, extowner, extnamespace, extrelocatable, extversion)
        select (select max(oid::text::bigint) + 1 from pg_catalog.pg_extension)::text::oid, 'pg_cron',
               'postgres'::regrole, 'pg_catalog'::regnamespace, false, 'marker'`;
    }
    execFileSync(`${repoRoot}node_modules/.bin/supabase`, ["migration", "up", `--db-url=${url}`, "--yes", "--workdir", repoRoot], {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
      timeout: 120_000,
    });
    if (preloaded) await template`delete from pg_catalog.pg_extension where extname = 'pg_cron' and extversion = 'marker'`;
  } finally {
    await template.end({ timeout: 5 });
  }
  return url;
}
