import { getResponse } from "msw";
import { describe, expect, it } from "vitest";
import { fitForSpeech } from "../../shared/chat/speech.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import {
  SLOT_SECONDS,
  SPEECH_SAMPLE_RATE,
  speechDurationSeconds,
  speechMp3Chunks,
  speechPcmChunks,
  speechSampleCount,
  speechWavChunks,
  voicePitch,
  wavHeader,
} from "../../supabase/local/openai-simulator/wav.ts";

// The simulator's speech: a WAV file a player accepts (RIFF header, 16-bit PCM) whose length
// follows the text, made in chunks; silent MP3 frames of the same length; /v1/audio/speech's rules.

function concat(chunks: Iterable<Uint8Array>): Uint8Array {
  const list = [...chunks];
  const bytes = new Uint8Array(list.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of list) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.slice(from, to));

describe("the WAV generator", () => {
  it("writes a RIFF/WAVE header for 16-bit mono PCM at 24 kHz", () => {
    const header = wavHeader(4800);
    const view = new DataView(header.buffer);
    expect(header.length).toBe(44);
    expect(ascii(header, 0, 4)).toBe("RIFF");
    expect(view.getUint32(4, true)).toBe(36 + 4800);
    expect(ascii(header, 8, 16)).toBe("WAVEfmt ");
    expect(view.getUint32(16, true)).toBe(16);
    expect(view.getUint16(20, true)).toBe(1); // PCM
    expect(view.getUint16(22, true)).toBe(1); // mono
    expect(view.getUint32(24, true)).toBe(SPEECH_SAMPLE_RATE);
    expect(view.getUint32(28, true)).toBe(SPEECH_SAMPLE_RATE * 2);
    expect(view.getUint16(32, true)).toBe(2);
    expect(view.getUint16(34, true)).toBe(16);
    expect(ascii(header, 36, 40)).toBe("data");
    expect(view.getUint32(40, true)).toBe(4800);
  });

  it("makes audio whose length follows the text, exactly as the header says, in chunks", () => {
    const short = "Hello.";
    const long = "Reader, I married him. A quiet wedding we had: he and I, the parson and clerk, were alone present.";
    expect(speechDurationSeconds(long)).toBeGreaterThan(speechDurationSeconds(short) * 10);
    expect(speechDurationSeconds(long)).toBeCloseTo((long.length + 4) * SLOT_SECONDS, 6);

    const chunks = [...speechWavChunks(long, "nova", 2400)];
    expect(chunks.length).toBeGreaterThan(5);
    const wav = concat(chunks);
    const dataBytes = new DataView(wav.buffer).getUint32(40, true);
    expect(dataBytes).toBe(speechSampleCount(long) * 2);
    expect(wav.length).toBe(44 + dataBytes);
  });

  it("is sound, not silence: vowels voiced, spaces quiet, within 16-bit range", () => {
    const pcm = concat(speechPcmChunks("aaaa    ", "alloy"));
    const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
    const slot = Math.round(SPEECH_SAMPLE_RATE * SLOT_SECONDS);
    const rms = (from: number, to: number) =>
      Math.sqrt(samples.slice(from, to).reduce((sum, value) => sum + value * value, 0) / (to - from));
    expect(rms(0, 4 * slot)).toBeGreaterThan(3000);
    expect(rms(4 * slot, 8 * slot)).toBe(0);
    expect(Math.max(...samples.map(Math.abs))).toBeLessThanOrEqual(32767);
  });

  it("gives each voice its own stable pitch, and is deterministic", () => {
    expect(voicePitch("nova")).toBe(voicePitch("nova"));
    expect(voicePitch("nova")).not.toBe(voicePitch("onyx"));
    for (const voice of ["alloy", "echo", "verse"]) {
      expect(voicePitch(voice)).toBeGreaterThanOrEqual(95);
      expect(voicePitch(voice)).toBeLessThanOrEqual(235);
    }
    expect(concat(speechWavChunks("Same words", "sage"))).toEqual(concat(speechWavChunks("Same words", "sage")));
    expect(concat(speechWavChunks("Same words", "sage"))).not.toEqual(concat(speechWavChunks("Same words", "ash")));
  });

  it("makes MPEG-1 Layer III frames lasting as long as the speech", () => {
    const text = "A reply of middling length, read aloud.";
    const mp3 = concat(speechMp3Chunks(text));
    expect(mp3.length % 96).toBe(0);
    const frames = mp3.length / 96;
    expect(frames * (1152 / 48_000)).toBeGreaterThanOrEqual(speechDurationSeconds(text));
    expect(frames * (1152 / 48_000)).toBeLessThan(speechDurationSeconds(text) + 0.025);
    for (let frame = 0; frame < frames; frame++) expect([...mp3.slice(frame * 96, frame * 96 + 4)]).toEqual([0xff, 0xfb, 0x14, 0xc0]);
  });
});

describe("the simulator's /v1/audio/speech", () => {
  const simulator = createOpenAISimulator();
  const post = (body: unknown, headers: Record<string, string> = { authorization: "Bearer sk-test" }) =>
    getResponse(simulator.handlers, new Request("http://sim.test/v1/audio/speech", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }));

  it("answers a WAV stream and records the request", async () => {
    const response = (await post({ model: "tts-sim", input: "Hello there.", voice: "coral", response_format: "wav" }))!;
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("audio/wav");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes).toEqual(concat(speechWavChunks("Hello there.", "coral")));
    expect(simulator.speechRequests.at(-1)).toEqual({ model: "tts-sim", input: "Hello there.", voice: "coral", response_format: "wav" });
  });

  it("refuses what OpenAI refuses: no key, no model or input, input over 4,096 characters, an unknown voice or format", async () => {
    expect((await post({ model: "m", input: "x", voice: "coral" }, {}))!.status).toBe(401);
    for (const body of [
      { input: "x", voice: "coral" },
      { model: "m", voice: "coral" },
      { model: "m", input: "x".repeat(4097), voice: "coral" },
      { model: "m", input: "x", voice: "gravel" },
      { model: "m", input: "x", voice: "coral", response_format: "flac" },
    ]) {
      const response = (await post(body))!;
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect((await response.json()).error.type).toBe("invalid_request_error");
    }
  });

  it("answers injected faults first", async () => {
    simulator.inject({ path: "/v1/audio/speech", kind: "status", status: 503 });
    expect((await post({ model: "m", input: "x", voice: "coral" }))!.status).toBe(503);
    expect((await post({ model: "m", input: "x", voice: "coral" }))!.status).toBe(200);
  });
});

describe("fitting a reply to the speech limit", () => {
  it("keeps a short reply whole and cuts a long one at a sentence end", () => {
    expect(fitForSpeech("  Short.  ")).toBe("Short.");
    const sentence = "This sentence is exactly fifty characters long ok. ";
    const reply = sentence.repeat(100);
    const fitted = fitForSpeech(reply);
    expect(fitted.length).toBeLessThanOrEqual(4096);
    expect(fitted.endsWith("ok.")).toBe(true);
    expect(fitForSpeech("word ".repeat(1000)).length).toBeLessThanOrEqual(4096);
  });
});
