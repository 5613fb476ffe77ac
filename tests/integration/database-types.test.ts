import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { useSuiteDatabase } from "../support/suite-database.ts";
import { databaseUrl } from "../support/stack.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;

useSuiteDatabase();

// Code reads rows typed by the generated types: they must be what `supabase gen types` says of the
// migrations as they are now.
it("shared/db/database.types.ts is what the migrations generate", () => {
  const result = spawnSync(`${repoRoot}node_modules/.bin/deno`, [
    "run", "-A", "--config", "supabase/local/deno.json", "supabase/local/database-types.ts", databaseUrl(),
  ], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
  expect(result.status, result.stderr).toBe(0);
  const committed = readFileSync(`${repoRoot}shared/db/database.types.ts`, "utf8");
  expect(result.stdout.trimEnd() === committed.trimEnd(), "shared/db/database.types.ts is stale: run `npm run types`").toBe(true);
}, 150_000);
