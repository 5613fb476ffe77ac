import { defineConfig } from "vitest/config";
import { CLOCK_SETTING } from "./shared/clock.ts";
import { TEST_TODAY } from "./tests/support/test-day.ts";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    // Integration and end-to-end suites share one ephemeral stack started here.
    globalSetup: ["tests/setup/global-stack.ts"],
    // Every suite on one fixed day for the catalogue's dates (the stacks get it in stack-process.ts).
    env: { [CLOCK_SETTING]: TEST_TODAY },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Logs of passing tests are noise; a failing test shows its logs.
    silent: "passed-only",
  },
});
