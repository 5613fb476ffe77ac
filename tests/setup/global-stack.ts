import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import type { StackInfo } from "../support/stack.ts";
import { ensurePrerequisites, MissingPrerequisites } from "./prerequisites.ts";
import { createTemplateDatabase, TEMPLATE_DATABASE } from "./template-database.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;

/** Ports picked by the OS, so parallel runs and a running `npm run dev` never collide. */
async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForReady(child: ChildProcess, output: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack not ready in ${timeoutMs} ms:\n${output.join("")}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join("").includes("Storyvoice local stack is ready")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited with ${code}:\n${output.join("")}`));
    });
  });
}

/** Unit suites need no stack: skip the start-up when only they were asked for by path. */
function onlyUnitSuitesSelected(): boolean {
  // Only path-like arguments are file filters (not `run`, flags, or the value of `-t`).
  const filters = process.argv.slice(2).filter((arg) =>
    !arg.startsWith("-") && (arg.includes("/") || arg.endsWith(".ts"))
  );
  return filters.length > 0 && filters.every((filter) => filter.includes("tests/unit"));
}

/** Starts one ephemeral stack (own cluster, functions, simulator) for every suite of the run. */
export default async function setup(project: TestProject) {
  if (onlyUnitSuitesSelected()) return;
  // Before the stack: install what is missing (as root) or stop with one message naming it.
  try {
    ensurePrerequisites();
  } catch (error) {
    if (!(error instanceof MissingPrerequisites)) throw error;
    // Nothing has started yet: the message alone says it all, without a stack trace.
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  const [dbPort, functionsPort, simulatorPort, togetherSimulatorPort, anthropicPort] = [
    await freePort(), await freePort(), await freePort(), await freePort(), await freePort(),
  ];
  const dataDir = mkdtempSync(join(tmpdir(), "storyvoice-test-"));
  const output: string[] = [];
  const child = spawn(join(repoRoot, "node_modules/.bin/deno"), ["run", "-A", "--unstable-no-legacy-abort", "--config", "supabase/local/deno.json", "supabase/local/stack.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      STORYVOICE_DATA_DIR: dataDir,
      STORYVOICE_DB_PORT: String(dbPort),
      STORYVOICE_FUNCTIONS_PORT: String(functionsPort),
      STORYVOICE_SIMULATOR_PORT: String(simulatorPort),
      STORYVOICE_TOGETHER_SIMULATOR_PORT: String(togetherSimulatorPort),
      STORYVOICE_ANTHROPIC_SIMULATOR_PORT: String(anthropicPort),
      OPENAI_SIMULATOR_JOB_SECONDS: "3",
      // Streamed answers arrive in steps, as a real model's do, so clients (the browser suite) can see it.
      OPENAI_SIMULATOR_STREAM_DELAY_MS: "15",
      // Always the simulator and the private cluster, whatever the developer's shell has.
      OPENAI_API_KEY: "",
      TOGETHER_API_KEY: "",
      ANTHROPIC_API_KEY: "",
      DATABASE_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitForReady(child, output, 120_000);
  // Keep draining the stack's output so it never blocks on a full pipe.
  child.stdout?.removeAllListeners("data").on("data", () => {});
  child.stderr?.removeAllListeners("data").on("data", () => {});

  const databaseUrl = `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres`;
  await createTemplateDatabase(databaseUrl);
  const stack: StackInfo = {
    databaseUrl,
    templateDatabase: TEMPLATE_DATABASE,
    functionsUrl: `http://127.0.0.1:${functionsPort}/functions/v1`,
    simulatorUrl: `http://127.0.0.1:${simulatorPort}`,
  };
  project.provide("stack", stack);

  return async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}
