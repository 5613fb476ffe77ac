import { execFile } from "node:child_process";
import { expect, it } from "vitest";

const repoRoot = new URL("../../", import.meta.url).pathname;

/** Runs a checker from node_modules/.bin without blocking this process, so the checks below overlap. */
function check(tool: string, args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(`${repoRoot}node_modules/.bin/${tool}`, args, { cwd: repoRoot, encoding: "utf8", timeout: 300_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ status, output: `${error && status === null ? `${error.message}\n` : ""}${stdout}\n${stderr}` });
    });
  });
}

// The functions run on Deno (locally and on Supabase) while the suites run on Node: type-check
// every function (with the deploy import map) and the local stack (with its own) the way Deno sees
// them; and the app and the SDK with tsc, where a request or answer paired with the wrong path fails.
it.concurrent.each([
  { what: "every function and the scripts, with the deploy import map", tool: "deno", args: ["check", "functions/", "scripts/"] },
  {
    what: "the local stack and the benchmarks, with the local import map",
    tool: "deno",
    args: ["check", "--config", "supabase/local/deno.json", "supabase/local/", "tests/bench/"],
  },
  { what: "the reader app", tool: "tsc", args: ["-p", "app/tsconfig.json"] },
  { what: "the SDK, typed by path (with its must-not-compile cases)", tool: "tsc", args: ["-p", "sdk/tsconfig.json"] },
])("$what type-checks", async ({ tool, args }) => {
  const result = await check(tool, args);
  expect(result.status, result.output).toBe(0);
}, 330_000);
