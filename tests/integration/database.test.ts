import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stack } from "../support/stack.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;
const pgTapFiles = readdirSync(`${repoRoot}supabase/tests`).filter((name) => name.endsWith(".sql")).sort();

// The pgTAP suites of supabase/tests (what `supabase test db` runs), here through pg_prove
// against the stack's real database, and Supabase's own linter.
describe("database", () => {
  it("has pgTAP suites", () => {
    expect(pgTapFiles.length).toBeGreaterThan(0);
  });

  for (const file of pgTapFiles) {
    it(`pgTAP ${file}`, () => {
      const result = spawnSync("pg_prove", ["--dbname", stack().databaseUrl, "--verbose", `supabase/tests/${file}`], {
        cwd: repoRoot,
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(result.error).toBeUndefined();
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/^Result: PASS/m);
    }, 90_000);
  }

  it("passes supabase db advisors (security and performance) with nothing at WARN or above", () => {
    const output = execFileSync(
      `${repoRoot}node_modules/.bin/supabase`,
      ["db", "advisors", `--remote=${stack().databaseUrl}`, "--yes", "--type", "all", "--level", "warn",
        "--fail-on", "warn", "--output-format", "json"],
      { cwd: repoRoot, encoding: "utf8", timeout: 60_000, env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: "1" } },
    );
    const report = JSON.parse(output) as { results: { name: string; level: string; detail: string }[] };
    expect(report.results.map((finding) => `${finding.level} ${finding.name}: ${finding.detail}`)).toEqual([]);
  }, 90_000);
});
