/**
 * The voice figure alone, on its own throwaway stack (`npm run bench:voice`): the part of
 * `npm run bench` that times sending to the first audio byte.
 */
import { startEphemeralStack } from "./ephemeral-stack.ts";
import { BenchReport } from "./report.ts";
import { benchVoiceFirstAudio, VOICE_BENCH_SIMULATOR } from "./voice-first-audio.ts";

const report = new BenchReport();
const stack = await startEphemeralStack({
  simulatorLatencyMs: VOICE_BENCH_SIMULATOR.latencyMs,
  simulatorStreamDelayMs: VOICE_BENCH_SIMULATOR.streamDelayMs,
});
try {
  for (const line of await benchVoiceFirstAudio(stack, report)) console.log(line);
} finally {
  await stack.stop();
}
console.log(`\n${report.table()}`);
