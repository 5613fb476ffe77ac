import postgres from "postgres";
import { signLocalToken } from "../../supabase/local/dev-keys.ts";
import { SentenceSplitter } from "../../app/src/voice/sentences.ts";
import type { BenchStack } from "./ephemeral-stack.ts";
import { type BenchReport, percentile } from "./report.ts";

/**
 * Voice that keeps pace, as the reader app does it: a streamed reply is split into sentences as
 * it arrives and the first is sent to speech at once. Measured against the simulators (which take
 * `latencyMs` before answering, as real providers take time to their first token and byte):
 * sending -> the first audio byte of the first sentence, beside the time to the first text delta
 * and the speech provider's own first byte (a direct call), all in the same run.
 */

/** The simulators' time to answer, and their pace between streamed pieces, for this figure. */
export const VOICE_BENCH_SIMULATOR = { latencyMs: 250, streamDelayMs: 15 };

const GOAL_FACTOR = 1.5;

async function arrange(databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [user] = await sql<{ id: string }[]>`
      insert into auth.users (email) values ('voice-bench-' || gen_random_uuid() || '@example.test') returning id`;
    const [model] = await sql<{ id: string }[]>`
      insert into private.fine_tuned_models (name, type, entity_name, book_id, status, created_by, style_description)
      values ('Bench voice', 'author', 'Bench voice', 'voice-bench', 'ready', ${user.id}, 'You are Bench Voice, an author.')
      returning id`;
    return { token: await signLocalToken({ sub: user.id, role: "authenticated" }), modelId: model.id };
  } finally {
    await sql.end();
  }
}

/** Ms until the first chunk of `response`'s body; the rest is read to the end. */
async function firstByteMs(start: number, response: Promise<Response>): Promise<number> {
  const reader = (await response).body!.getReader();
  let first = -1;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (first < 0 && value.length > 0) first = performance.now() - start;
  }
  if (first < 0) throw new Error("no audio");
  return first;
}

/** One voice turn: the chat streams, its first sentence goes to speech the moment it is whole. */
async function voiceTurn(stack: BenchStack, token: string, modelId: string) {
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const start = performance.now();
  const chat = await fetch(`${stack.functionsUrl}/fine-tune-chat/${modelId}`, {
    method: "POST",
    headers,
    body: JSON.stringify({ message: "Why the lighthouse?", stream: true }),
  });
  if (!chat.ok) throw new Error(`chat answered ${chat.status}`);
  const reader = chat.body!.pipeThrough(new TextDecoderStream()).getReader();
  const splitter = new SentenceSplitter();
  let buffer = "";
  let firstDelta = -1;
  let firstAudio: Promise<number> | null = null;
  let firstSentence = "";
  const speak = (text: string) => {
    firstSentence = text;
    firstAudio = firstByteMs(start, fetch(`${stack.functionsUrl}/fine-tune-speech/${modelId}`, {
      method: "POST",
      headers,
      body: JSON.stringify({ text, format: "wav" }),
    }));
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!event.includes("event: delta")) continue;
      if (firstDelta < 0) firstDelta = performance.now() - start;
      const data = JSON.parse(event.split("\n").find((line) => line.startsWith("data: "))!.slice(6)) as { text: string };
      const sentences = splitter.push(data.text);
      if (!firstAudio && sentences.length > 0) speak(sentences[0]);
    }
  }
  if (!firstAudio) speak(splitter.flush()[0] ?? "");
  return { firstDelta, firstAudio: await firstAudio!, firstSentence };
}

/** The speech provider alone: the simulator's first audio byte for the same words. */
async function providerFirstByte(stack: BenchStack, text: string) {
  const start = performance.now();
  return await firstByteMs(start, fetch(`${stack.simulatorUrl}/audio/speech`, {
    method: "POST",
    headers: { Authorization: "Bearer sk-bench", "Content-Type": "application/json" },
    body: JSON.stringify({ model: "storyvoice-sim-tts", input: text, voice: "alloy", response_format: "wav" }),
  }));
}

export async function benchVoiceFirstAudio(stack: BenchStack, report: BenchReport, options = { turns: 40 }) {
  const { token, modelId } = await arrange(stack.databaseUrl);
  await voiceTurn(stack, token, modelId); // warm the paths
  const deltas: number[] = [];
  const audio: number[] = [];
  const provider: number[] = [];
  let sentence = "";
  for (let turn = 0; turn < options.turns; turn++) {
    const result = await voiceTurn(stack, token, modelId);
    deltas.push(result.firstDelta);
    audio.push(result.firstAudio);
    sentence = result.firstSentence;
    provider.push(await providerFirstByte(stack, result.firstSentence));
  }
  const firstAudio = percentile(audio, 50);
  const firstDelta = percentile(deltas, 50);
  const providerByte = percentile(provider, 50);
  const goal = GOAL_FACTOR * (firstDelta + providerByte);
  report.distribution("voice: sending to first audio byte", audio);
  report.figure(
    "voice: sending to the first audio byte, p50",
    `${firstAudio.toFixed(0)} ms (first text delta ${firstDelta.toFixed(0)} ms, speech provider's first byte ${providerByte.toFixed(0)} ms)`,
    `≤ ${GOAL_FACTOR} × (delta + provider) = ${goal.toFixed(0)} ms`,
    firstAudio <= goal,
  );
  return [
    `simulators: ${VOICE_BENCH_SIMULATOR.latencyMs} ms to answer, ${VOICE_BENCH_SIMULATOR.streamDelayMs} ms between streamed pieces; ${options.turns} turns`,
    `first sentence spoken: ${JSON.stringify(sentence)}`,
    `sending -> first audio byte p50 ${firstAudio.toFixed(1)} ms (p90 ${percentile(audio, 90).toFixed(1)}); ` +
    `first text delta p50 ${firstDelta.toFixed(1)} ms; speech provider first byte p50 ${providerByte.toFixed(1)} ms; ` +
    `goal ≤ ${goal.toFixed(1)} ms: ${firstAudio <= goal ? "met" : "NOT met"}`,
  ];
}
