/** Starts the local stack on free ports with a throwaway data folder, for one benchmark run. */
import { TEST_TODAY } from "../support/test-day.ts";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

export interface BenchStack {
  databaseUrl: string;
  functionsUrl: string;
  simulatorUrl: string;
  stop(): Promise<void>;
}

export async function startEphemeralStack(options: { simulatorLatencyMs?: number; simulatorStreamDelayMs?: number } = {}): Promise<BenchStack> {
  const [dbPort, functionsPort, simulatorPort, anthropicPort, togetherPort] = [freePort(), freePort(), freePort(), freePort(), freePort()];
  const dataDir = await Deno.makeTempDir({ prefix: "storyvoice-bench-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-no-legacy-abort",
      "--config",
      new URL("../../supabase/local/deno.json", import.meta.url).pathname,
      new URL("../../supabase/local/stack.ts", import.meta.url).pathname,
    ],
    env: {
      STORYVOICE_DATA_DIR: dataDir,
      STORYVOICE_DB_PORT: String(dbPort),
      STORYVOICE_FUNCTIONS_PORT: String(functionsPort),
      STORYVOICE_SIMULATOR_PORT: String(simulatorPort),
      STORYVOICE_ANTHROPIC_SIMULATOR_PORT: String(anthropicPort),
      // Free too, so two bench stacks (or a bench beside a dev stack) never share Together's default port.
      STORYVOICE_TOGETHER_SIMULATOR_PORT: String(togetherPort),
      OPENAI_SIMULATOR_LATENCY_MS: String(options.simulatorLatencyMs ?? 0),
      OPENAI_SIMULATOR_STREAM_DELAY_MS: String(options.simulatorStreamDelayMs ?? 0),
      OPENAI_API_KEY: "",
      ANTHROPIC_API_KEY: "",
      DATABASE_URL: "",
      // Request logs would dominate the measurement.
      LOG_LEVEL: "warn",
      // The bench sends thousands of messages per user.
      DAILY_CHAT_QUOTA: "1000000",
      // The suites' day: the models the bench asks for are alive on it, whatever the calendar says.
      STORYVOICE_CLOCK: TEST_TODAY,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  const decoder = new TextDecoder();
  let output = "";
  const reader = child.stdout.getReader();
  const deadline = Date.now() + 120_000;
  while (!output.includes("Storyvoice local stack is ready")) {
    if (Date.now() > deadline) throw new Error(`stack not ready:\n${output}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`stack exited:\n${output}`);
    output += decoder.decode(value);
  }
  // Keep draining so the stack never blocks on a full pipe.
  (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })();
  child.stderr.pipeTo(new WritableStream());

  return {
    databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres`,
    functionsUrl: `http://127.0.0.1:${functionsPort}/functions/v1`,
    simulatorUrl: `http://127.0.0.1:${simulatorPort}`,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}
