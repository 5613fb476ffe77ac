import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    // Integration and end-to-end suites share one ephemeral stack started here.
    globalSetup: ["tests/setup/global-stack.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Logs of passing tests are noise; a failing test shows its logs.
    silent: "passed-only",
  },
});
