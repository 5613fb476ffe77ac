import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { useSuiteDatabase } from "../support/suite-database.ts";
import { databaseUrl } from "../support/stack.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;

useSuiteDatabase();

// supabase/schema.sql is where a reader learns the current schema: it must be what the migrations
// as they are now create.
it("supabase/schema.sql is what the migrations create", () => {
  const result = spawnSync(`${repoRoot}node_modules/.bin/deno`, [
    "run", "-A", "--config", "supabase/local/deno.json", "supabase/local/database-schema.ts", databaseUrl(),
  ], { cwd: repoRoot, encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  expect(result.status, result.stderr).toBe(0);
  const committed = readFileSync(`${repoRoot}supabase/schema.sql`, "utf8");
  const generated = result.stdout.split("\n");
  const line = committed.split("\n").findIndex((text, i) => text !== generated[i]);
  expect(result.stdout === committed, `supabase/schema.sql is stale from line ${line + 1}: run \`npm run schema\``).toBe(true);
}, 90_000);
