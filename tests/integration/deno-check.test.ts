import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

const repoRoot = new URL("../../", import.meta.url).pathname;

// The functions run on Deno (locally and on Supabase) while the suites run on Node: type-check
// every function (with the deploy import map) and the local stack (with its own) the way Deno sees them.
it.each([
  { what: "every function and the scripts, with the deploy import map", args: ["check", "functions/", "scripts/"] },
  {
    what: "the local stack and the benchmarks, with the local import map",
    args: ["check", "--config", "supabase/local/deno.json", "supabase/local/", "tests/bench/"],
  },
])("$what type-checks under Deno", ({ args }) => {
  const result = spawnSync(`${repoRoot}node_modules/.bin/deno`, args, {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(result.error).toBeUndefined();
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
}, 150_000);
