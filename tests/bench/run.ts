/**
 * `npm run bench`: starts a throwaway local stack and measures against baselines taken in the same
 * run (the machine is shared and noisy, so only ratios are reported as results). Ends with a table
 * of every figure beside its goal, and writes the latency distributions as an SVG chart
 * (tests/bench/results/latency.svg, shown in docs/benchmarks.md).
 */
import { benchBookRetrieval } from "./book-retrieval.ts";
import { benchChatEndpoint } from "./chat-endpoint.ts";
import { benchChatStatsContention } from "./chat-stats-contention.ts";
import { benchColdStarts } from "./cold-start.ts";
import { startEphemeralStack } from "./ephemeral-stack.ts";
import { latencyChartSvg } from "./latency-chart.ts";
import { benchReadScale } from "./read-scale.ts";
import { BenchReport } from "./report.ts";
import { benchVoiceFirstAudio, VOICE_BENCH_SIMULATOR } from "./voice-first-audio.ts";

const COLD_START_GOAL = 5;
const report = new BenchReport();

// First, on a quiet machine: fresh processes, before the stack takes the cores.
console.log("== Cold starts: a fresh Deno process importing each handler vs a hello-world ==");
const cold = await benchColdStarts();
console.log(`hello-world: ${cold.helloMs.toFixed(0)} ms`);
for (const f of cold.functions) console.log(`${f.name}: ${f.ms.toFixed(0)} ms, ${f.ratio.toFixed(1)}x`);
const worst = cold.functions.reduce((a, b) => (b.ratio > a.ratio ? b : a));
report.figure(
  "cold import, every function vs hello-world (worst)",
  `${worst.ratio.toFixed(1)}x (${worst.name}, ${worst.ms.toFixed(0)} vs ${cold.helloMs.toFixed(0)} ms)`,
  `≤ ${COLD_START_GOAL}x`,
  cold.functions.every((f) => f.ratio <= COLD_START_GOAL),
);

const stack = await startEphemeralStack();
try {
  console.log("== Hot model: 64 concurrent chat writers, one model vs 64 models ==");
  for (const line of await benchChatStatsContention(stack.databaseUrl)) console.log(line);
  console.log("== The chat endpoint against the simulator ==");
  for (const line of await benchChatEndpoint(stack, report)) console.log(line);
  console.log("== Lists at scale: 100k models, 1M chats ==");
  for (const line of await benchReadScale(stack, report)) console.log(line);
  console.log("== Spoiler-safe retrieval: 1,000 books of 10,000 passages ==");
  for (const line of await benchBookRetrieval(stack, report)) console.log(line);
} finally {
  await stack.stop();
}

// Voice needs simulators that take time, as providers do: its own stack.
console.log("== Voice: sending to the first audio byte, sentence by sentence ==");
const voiceStack = await startEphemeralStack({
  simulatorLatencyMs: VOICE_BENCH_SIMULATOR.latencyMs,
  simulatorStreamDelayMs: VOICE_BENCH_SIMULATOR.streamDelayMs,
});
try {
  for (const line of await benchVoiceFirstAudio(voiceStack, report)) console.log(line);
} finally {
  await voiceStack.stop();
}

const chart = new URL("./results/latency.svg", import.meta.url);
await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
await Deno.writeTextFile(chart, latencyChartSvg(report.distributions, "fine-tune-chat vs the simulator called directly (ms, log scale)"));
console.log(`\n== Every figure beside its goal ==\n${report.table()}\n\nLatency chart: tests/bench/results/latency.svg`);
