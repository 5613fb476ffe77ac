import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";

const repoRoot = new URL("../../", import.meta.url).pathname;
const migrations = readdirSync(`${repoRoot}supabase/migrations`).filter((name) => name.endsWith(".sql")).sort();

function git(...args: string[]) {
  return spawnSync("git", args, { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** The name after the timestamp: a migration keeps it when it is renamed. */
function slugOf(name: string): string {
  return name.replace(/^\d+_/, "");
}

/** YYYY-MM-DD of a migration's prefix. */
function prefixDay(name: string): string {
  return `${name.slice(0, 4)}-${name.slice(4, 6)}-${name.slice(6, 8)}`;
}

/**
 * The day each migration was first committed, under any of its names. A migration is known by its
 * slug because `git log --follow` loses renames made in merge commits; merges count as adding what
 * they bring, and the earliest day wins.
 */
function firstCommitDays(): Map<string, string> {
  const log = git("log", "--no-renames", "--diff-merges=first-parent", "--diff-filter=A", "--name-only",
    "--format=%x00%cs", "--", "supabase/migrations");
  if (log.status !== 0) throw new Error(`git log failed: ${log.stderr}`);
  const days = new Map<string, string>();
  let day = "";
  for (const line of log.stdout.split("\n")) {
    if (line.startsWith("\0")) day = line.slice(1);
    else if (line.endsWith(".sql")) {
      const slug = slugOf(line.split("/").pop()!);
      const known = days.get(slug);
      if (known === undefined || day < known) days.set(slug, day);
    }
  }
  return days;
}

/** Why the landing days cannot be read here, or undefined when they can. */
function historyMissing(): string | undefined {
  const inside = git("rev-parse", "--is-inside-work-tree");
  if (inside.status !== 0 || inside.stdout.trim() !== "true") {
    return `no git history to read landing days from (${(inside.stderr || inside.error?.message || "").trim()})`;
  }
  if (git("rev-parse", "--is-shallow-repository").stdout.trim() === "true") {
    return "shallow clone: first commits are cut off (git fetch --unshallow to check migration dates)";
  }
  return undefined;
}

describe("migration names", () => {
  // The apply order is the order of the prefixes: two equal ones would be applied in an order no
  // one chose, and `supabase migration up` records each version once.
  it("have unique 14-digit prefixes that sort strictly increasing", () => {
    const prefixes = migrations.map((name) => name.split("_")[0]);
    for (const prefix of prefixes) expect(prefix, `${prefix}: want YYYYMMDDHHMMSS`).toMatch(/^20\d{6}\d{6}$/);
    const out = prefixes.filter((prefix, i) => i > 0 && prefix <= prefixes[i - 1]);
    expect(out, "prefixes not after the one before them").toEqual([]);
  });

  // `supabase migration new` names a file by today's date, so a file dated later than the day it
  // landed makes the next migration sort before one already applied, and `db push` refuses it.
  it("are dated on or before the day their first commit landed", (context) => {
    const missing = historyMissing();
    context.skip(missing !== undefined, missing);
    const days = firstCommitDays();
    const today = new Date().toISOString().slice(0, 10);
    const late = migrations.flatMap((name) => {
      // Not committed yet: it lands today at the earliest.
      const landed = days.get(slugOf(name)) ?? today;
      return prefixDay(name) > landed ? [`${name} is dated ${prefixDay(name)} but landed ${landed}`] : [];
    });
    expect(late, "rename each to <landing day>HHMMSS_..., after the last migration of that day").toEqual([]);
  });
});
