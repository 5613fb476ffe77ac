import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Suites far longer than others of their kind, whatever their size on disk: whole tools (Deno's
 * type checker, type and OpenAPI generation, pg_prove and the advisors) and thousands of rows.
 */
const LONG_SUITES = new Set([
  "tests/unit/openapi.test.ts",
  "tests/integration/type-check.test.ts",
  "tests/integration/database-types.test.ts",
  "tests/integration/database.test.ts",
  "tests/integration/training-sync.test.ts",
  "tests/integration/training-sync-scale.test.ts",
  "tests/integration/spoiler-safe-chat.test.ts",
]);

/** Typical seconds per suite when the run has not timed it yet (a fresh clone). */
function estimatedSeconds(path: string): number {
  if (LONG_SUITES.has(path)) return 60;
  if (path.startsWith("tests/browser/")) return 40;
  if (path.startsWith("tests/e2e/")) return 15;
  if (path.startsWith("tests/integration/")) return 3;
  return 1;
}

/**
 * Longest suites first, so that no worker is still on a long suite while the others have run out
 * of work, and browser suites alternating with the others, so that Chromium takes at most about half
 * the workers. The durations come from vitest's cache of earlier runs; a suite it has not timed yet
 * is estimated from its kind.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const path = (spec: TestSpecification) => relative(root, spec.moduleId);
    const seconds = (spec: TestSpecification) => {
      const timed = this.ctx.cache.getFileTestResults(`${spec.project.name}:${path(spec)}`)?.duration;
      return timed !== undefined ? timed / 1000 : estimatedSeconds(path(spec));
    };
    const longestFirst = [...files].sort((a, b) => seconds(b) - seconds(a));
    const browser = longestFirst.filter((spec) => path(spec).startsWith("tests/browser/"));
    const others = longestFirst.filter((spec) => !path(spec).startsWith("tests/browser/"));
    const order: TestSpecification[] = [];
    while (browser.length > 0 || others.length > 0) {
      const next = browser.shift();
      if (next) order.push(next);
      const other = others.shift();
      if (other) order.push(other);
    }
    return order;
  }
}
