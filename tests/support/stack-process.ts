import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLOCK_SETTING } from "../../shared/clock.ts";
import { TEST_TODAY } from "./test-day.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;

/**
 * `count` distinct ports picked by the OS, so parallel runs and a running `npm run dev` never
 * collide. All are held open until every one is known: a port closed before the next is asked
 * for can be handed out again.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve(server));
    })
  ));
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === "object" && address ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** A local stack (`supabase/local/stack.ts`) started for tests, ready to serve. */
export interface StackProcess {
  child: ChildProcess;
  dataDir: string;
  ports: { db: number; functions: number; simulator: number; together: number; anthropic: number };
  /** Everything the stack has written so far (kept filling until the caller drains it). */
  output: string[];
}

/**
 * Starts the local stack on free ports with a throwaway data folder, always on the simulators and
 * its own cluster whatever the caller's shell has, on the suites' pinned day (`TEST_TODAY`), and
 * resolves once it says it is ready.
 */
export async function startStackProcess(options: { dataDirPrefix: string; env?: Record<string, string> }): Promise<StackProcess> {
  const [db, functions, simulator, together, anthropic] = await freePorts(5);
  const ports = { db, functions, simulator, together, anthropic };
  const dataDir = mkdtempSync(join(tmpdir(), options.dataDirPrefix));
  const output: string[] = [];
  const child = spawn(
    join(repoRoot, "node_modules/.bin/deno"),
    ["run", "-A", "--unstable-no-legacy-abort", "--config", "supabase/local/deno.json", "supabase/local/stack.ts"],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        STORYVOICE_DATA_DIR: dataDir,
        STORYVOICE_DB_PORT: String(ports.db),
        STORYVOICE_FUNCTIONS_PORT: String(ports.functions),
        STORYVOICE_SIMULATOR_PORT: String(ports.simulator),
        STORYVOICE_TOGETHER_SIMULATOR_PORT: String(ports.together),
        STORYVOICE_ANTHROPIC_SIMULATOR_PORT: String(ports.anthropic),
        OPENAI_API_KEY: "",
        TOGETHER_API_KEY: "",
        ANTHROPIC_API_KEY: "",
        DATABASE_URL: "",
        [CLOCK_SETTING]: TEST_TODAY,
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  await waitForReady(child, output, 120_000);
  return { child, dataDir, ports, output };
}

function waitForReady(child: ChildProcess, output: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack not ready in ${timeoutMs} ms:\n${output.join("")}`)), timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`stack exited with ${code}:\n${output.join("")}`));
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join("").includes("Storyvoice local stack is ready")) {
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve();
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.once("exit", onExit);
  });
}
