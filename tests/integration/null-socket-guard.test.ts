import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useSuiteDatabase } from "../support/suite-database.ts";
import { databaseUrl } from "../support/stack.ts";

const run = promisify(execFile);
const repoRoot = new URL("../../", import.meta.url).pathname;

// postgres.js 3.4.9 writes to a closed socket when a transaction's connection dies mid-query
// (porsager/postgres#1208): uncaught, that ends a Deno process. The pool's guard must keep the
// process alive, fail the transaction as a connection error and serve the next one.
describe("the guard against postgres.js writing to a closed socket", () => {
  useSuiteDatabase();

  it("survives a backend terminated mid-transaction and serves the next transaction", async () => {
    const { stdout } = await run(
      `${repoRoot}node_modules/.bin/deno`,
      ["run", "-A", "--config", "supabase/local/deno.json", "tests/support/null-socket-write.ts"],
      { cwd: repoRoot, env: { ...process.env, SUPABASE_DB_URL: databaseUrl(), LOG_LEVEL: "silent" }, timeout: 30_000 },
    );
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
    // The defect fired (as it does on 3.4.9; 0 once a fixed release lands) and was absorbed.
    expect(result).toEqual({ failure: "CONNECTION_CLOSED", guarded: 1, afterwards: 1 });
  });
});
