import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const repoRoot = new URL("../../", import.meta.url).pathname;

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

/** A stack of its own, for a suite that stops its database: the run's shared stack never notices. */
export interface OwnStack {
  databaseUrl: string;
  functionsUrl: string;
  /** Stops the cluster (`fast`: sessions are told; `immediate`: as a crash, recovered at start). */
  stopDatabase(mode: "fast" | "immediate"): Promise<void>;
  /** Starts the cluster again with the options it ran with; resolves once it accepts connections. */
  startDatabase(): Promise<void>;
  /** True while the functions server (the stack's process) is alive. */
  running(): boolean;
  /** What the stack has written (its error logs), for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

export async function startOwnStack(env: Record<string, string> = {}): Promise<OwnStack> {
  const [dbPort, functionsPort, simulatorPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), "storyvoice-own-stack-"));
  const pgData = join(dataDir, "pgdata");
  const output: string[] = [];
  const child: ChildProcess = spawn(
    join(repoRoot, "node_modules/.bin/deno"),
    ["run", "-A", "--unstable-no-legacy-abort", "--config", "supabase/local/deno.json", "supabase/local/stack.ts"],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        STORYVOICE_DATA_DIR: dataDir,
        STORYVOICE_DB_PORT: String(dbPort),
        STORYVOICE_FUNCTIONS_PORT: String(functionsPort),
        STORYVOICE_SIMULATOR_PORT: String(simulatorPort),
        OPENAI_SIMULATOR_LATENCY_MS: "0",
        OPENAI_API_KEY: "",
        DATABASE_URL: "",
        LOG_LEVEL: "error",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let exited = false;
  child.once("exit", () => (exited = true));
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (!output.join("").includes("Storyvoice local stack is ready")) {
    if (exited || Date.now() > deadline) throw new Error(`stack did not start:\n${output.join("")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  // pg_ctl as the cluster's owner: the `postgres` system user when the stack runs as root.
  const binary = readFileSync(join(pgData, "postmaster.opts"), "utf8").trim().split(" ")[0];
  const options = readFileSync(join(pgData, "postmaster.opts"), "utf8").trim().slice(binary.length + 1);
  const pgCtl = join(binary, "../pg_ctl");
  const asOwner = (args: string[]) =>
    process.getuid?.() === 0 ? run("runuser", ["-u", "postgres", "--", pgCtl, ...args]) : run(pgCtl, args);

  return {
    databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres`,
    functionsUrl: `http://127.0.0.1:${functionsPort}/functions/v1`,
    async stopDatabase(mode) {
      await asOwner(["-D", pgData, "-m", mode, "-w", "stop"]);
    },
    async startDatabase() {
      await asOwner(["-D", pgData, "-o", options, "-l", join(dataDir, "postgres.log"), "-w", "-t", "60", "start"]);
    },
    running: () => !exited,
    output: () => output.join(""),
    async stop() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      }
      // The stack stops its cluster on exit; one left running (a failed start) is stopped here.
      await asOwner(["-D", pgData, "-m", "immediate", "-w", "stop"]).catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
