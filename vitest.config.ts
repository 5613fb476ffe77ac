import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { CLOCK_SETTING } from "./shared/clock.ts";
import { TEST_TODAY } from "./tests/support/test-day.ts";
import { LongestFirstSequencer } from "./tests/setup/sequencer.ts";

// Most suites spend part of their time waiting on the stack (Postgres, Deno, Chromium), so one
// worker more than the cores keeps them busy; more only adds contention (on 2 cores, 4 workers took
// 8% more CPU time and wall time than 3).
const WORKERS = Number(process.env.STORYVOICE_TEST_WORKERS) || availableParallelism() + 1;

export default defineConfig({
  test: {
    environment: "node",
    // Every suite on one fixed day for the catalogue's dates (the stacks get it in stack-process.ts).
    env: { [CLOCK_SETTING]: TEST_TODAY },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Files run one after another in each worker's process and share its modules, instead of paying a
    // fresh process and every import again per file (30% of the integration suites' CPU time). What a file
    // changes in the process goes back when it ends (each project's setup files).
    isolate: false,
    maxWorkers: WORKERS,
    sequence: { sequencer: LongestFirstSequencer },
    // Logs of passing tests are noise; a failing test shows its logs.
    silent: "passed-only",
    projects: [
      // Pure code and in-process simulators: no stack, so `npm test -- tests/unit` starts nothing.
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"], setupFiles: ["tests/setup/file-state.ts"] } },
      {
        extends: true,
        test: {
          name: "stack",
          include: ["tests/integration/**/*.test.ts", "tests/e2e/**/*.test.ts", "tests/browser/**/*.test.ts"],
          // One ephemeral stack for all of them, started only when the run has one of them.
          globalSetup: ["tests/setup/global-stack.ts"],
          setupFiles: ["tests/setup/file-state.ts", "tests/setup/stack-file-state.ts"],
          // The browser suites poll the app; sharing the cores with other suites, it may take more
          // than vitest's default second to settle.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
