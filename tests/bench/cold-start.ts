/**
 * Cold starts: a fresh Deno process importing each function's handler (with the deploy import
 * map), against a fresh Deno process importing a hello-world handler, in the same run. The median
 * of several runs of each, alternated so drift hits both alike.
 */
const repoRoot = new URL("../../", import.meta.url).pathname;

async function importOnce(modulePath: string): Promise<number> {
  const start = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--config", `${repoRoot}deno.json`, `await import(${JSON.stringify(`file://${repoRoot}${modulePath}`)});`],
    cwd: repoRoot,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!output.success) throw new Error(`importing ${modulePath} failed: ${new TextDecoder().decode(output.stderr)}`);
  return performance.now() - start;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export interface ColdStart {
  name: string;
  ms: number;
  ratio: number;
}

export async function benchColdStarts(runs = 5): Promise<{ helloMs: number; functions: ColdStart[] }> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${repoRoot}functions`)) if (entry.isDirectory) names.push(entry.name);
  names.sort();
  const modules = ["tests/bench/hello-handler.ts", ...names.map((name) => `functions/${name}/handler.ts`)];
  // Fill Deno's module cache first: a deployed function is bundled, not compiled on each start.
  for (const module of modules) await importOnce(module);
  const samples = new Map<string, number[]>(modules.map((module) => [module, []]));
  for (let run = 0; run < runs; run++) {
    for (const module of modules) samples.get(module)!.push(await importOnce(module));
  }
  const helloMs = median(samples.get(modules[0])!);
  return {
    helloMs,
    functions: names.map((name) => {
      const ms = median(samples.get(`functions/${name}/handler.ts`)!);
      return { name, ms, ratio: ms / helloMs };
    }),
  };
}

if (import.meta.main) {
  const { helloMs, functions } = await benchColdStarts(Number(Deno.args[0] ?? 5));
  console.log(`hello-world ${helloMs.toFixed(0)} ms`);
  for (const f of functions) console.log(`${f.name}: ${f.ms.toFixed(0)} ms, ${f.ratio.toFixed(1)}x`);
}
