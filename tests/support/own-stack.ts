import { execFile } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { startStackProcess } from "./stack-process.ts";

const run = promisify(execFile);

/** A stack of its own, for a suite that stops its database: the run's shared stack never notices. */
export interface OwnStack {
  databaseUrl: string;
  functionsUrl: string;
  /** The stack's OpenAI simulator, its control endpoints (`/__simulator/...`) included. */
  simulatorUrl: string;
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
  const { child, dataDir, ports, output } = await startStackProcess({
    dataDirPrefix: "storyvoice-own-stack-",
    env: { OPENAI_SIMULATOR_LATENCY_MS: "0", LOG_LEVEL: "error", ...env },
  });
  const pgData = join(dataDir, "pgdata");
  let exited = false;
  child.once("exit", () => (exited = true));

  // pg_ctl as the cluster's owner: the `postgres` system user when the stack runs as root.
  const binary = readFileSync(join(pgData, "postmaster.opts"), "utf8").trim().split(" ")[0];
  const options = readFileSync(join(pgData, "postmaster.opts"), "utf8").trim().slice(binary.length + 1);
  const pgCtl = join(binary, "../pg_ctl");
  const asOwner = (args: string[]) =>
    process.getuid?.() === 0 ? run("runuser", ["-u", "postgres", "--", pgCtl, ...args]) : run(pgCtl, args);

  return {
    databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${ports.db}/postgres`,
    functionsUrl: `http://127.0.0.1:${ports.functions}/functions/v1`,
    simulatorUrl: `http://127.0.0.1:${ports.simulator}`,
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
