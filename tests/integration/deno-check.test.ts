import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

const repoRoot = new URL("../../", import.meta.url).pathname;

// The functions run on Deno (locally and on Supabase) while the suites run on Node: type-check
// every function and the local stack the way Deno sees them.
it("every function, the local stack and the scripts type-check under Deno", () => {
  const result = spawnSync(`${repoRoot}node_modules/.bin/deno`, ["check", "functions/", "supabase/local/", "tests/bench/", "scripts/"], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(result.error).toBeUndefined();
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
}, 150_000);
