import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import type { StackInfo } from "../support/stack.ts";
import { startStackProcess } from "../support/stack-process.ts";
import { ensurePrerequisites, MissingPrerequisites } from "./prerequisites.ts";
import { createTemplateDatabase, TEMPLATE_DATABASE } from "./template-database.ts";

/**
 * Starts one ephemeral stack (own cluster, functions, simulator) for every suite of the `stack`
 * project (vitest.config.ts); vitest calls it only when the run has at least one of them.
 */
export default async function setup(project: TestProject) {
  // Before the stack: install what is missing (as root) or stop with one message naming it.
  try {
    ensurePrerequisites();
  } catch (error) {
    if (!(error instanceof MissingPrerequisites)) throw error;
    // Nothing has started yet: the message alone says it all, without a stack trace.
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  const { child, dataDir, ports } = await startStackProcess({
    dataDirPrefix: "storyvoice-test-",
    env: {
      OPENAI_SIMULATOR_JOB_SECONDS: "3",
      // Streamed answers arrive in steps, as a real model's do, so clients (the browser suite) can see it.
      OPENAI_SIMULATOR_STREAM_DELAY_MS: "15",
      // Suites share users (the browser suite one sign-up) and create many models: quotas out of the way.
      MODEL_CREATE_DAILY_QUOTA: "1000",
      TRAININGS_IN_FLIGHT_PER_USER: "1000",
      TRAINING_MAX_ACTIVE_JOBS: "1000",
    },
  });
  // Keep draining the stack's output so it never blocks on a full pipe.
  child.stdout?.removeAllListeners("data").on("data", () => {});
  child.stderr?.removeAllListeners("data").on("data", () => {});

  const databaseUrl = `postgresql://postgres:postgres@127.0.0.1:${ports.db}/postgres`;
  await createTemplateDatabase(databaseUrl);
  const scratchDir = mkdtempSync(join(tmpdir(), "storyvoice-run-"));
  const stack: StackInfo = {
    scratchDir,
    databaseUrl,
    templateDatabase: TEMPLATE_DATABASE,
    functionsUrl: `http://127.0.0.1:${ports.functions}/functions/v1`,
    simulatorUrl: `http://127.0.0.1:${ports.simulator}`,
  };
  project.provide("stack", stack);

  return async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratchDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}
