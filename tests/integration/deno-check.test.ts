import { execFile } from "node:child_process";
import { expect, it } from "vitest";

const repoRoot = new URL("../../", import.meta.url).pathname;

/** Runs deno without blocking this process, so both checks below run at the same time. */
function deno(args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(`${repoRoot}node_modules/.bin/deno`, args, { cwd: repoRoot, encoding: "utf8", timeout: 300_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ status, output: `${error && status === null ? `${error.message}\n` : ""}${stdout}\n${stderr}` });
    });
  });
}

// The functions run on Deno (locally and on Supabase) while the suites run on Node: type-check
// every function (with the deploy import map) and the local stack (with its own) the way Deno sees them.
it.concurrent.each([
  { what: "every function and the scripts, with the deploy import map", args: ["check", "functions/", "scripts/"] },
  {
    what: "the local stack and the benchmarks, with the local import map",
    args: ["check", "--config", "supabase/local/deno.json", "supabase/local/", "tests/bench/"],
  },
])("$what type-checks under Deno", async ({ args }) => {
  const result = await deno(args);
  expect(result.status, result.output).toBe(0);
}, 330_000);
