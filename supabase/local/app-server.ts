/**
 * Runs the reader app's Vite dev server (on Node, as Vite expects) pointed at the local stack, and
 * resolves once it listens.
 */
const repoRoot = new URL("../../", import.meta.url).pathname;

export async function startAppDevServer(options: { port: number; supabaseUrl: string; anonKey: string }) {
  const child = new Deno.Command("node", {
    args: ["node_modules/vite/bin/vite.js", "--config", "app/vite.config.ts", "--host", "127.0.0.1", "--port", String(options.port), "--strictPort"],
    cwd: repoRoot,
    env: { VITE_SUPABASE_URL: options.supabaseUrl, VITE_SUPABASE_ANON_KEY: options.anonKey, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const url = `http://127.0.0.1:${options.port}/`;
  const output: string[] = [];
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output.push(decoder.decode(chunk));
  };
  void drain(child.stdout);
  void drain(child.stderr);
  let exitCode: number | null = null;
  void child.status.then((status) => (exitCode = status.code));
  // Ready when it answers (its banner's wording and colours are not a contract).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== null) throw new Error(`the app's dev server exited with ${exitCode}:\n${output.join("")}`);
    const answered = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.body?.cancel().then(() => true) ?? true, () => false);
    if (answered) break;
    if (Date.now() > deadline) throw new Error(`the app's dev server did not answer within 60 s:\n${output.join("")}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    stop: async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
    },
  };
}
