/**
 * Speech the simulator can make without a model: real, playable audio whose length follows the
 * text. WAV is 16-bit PCM, mono, 24 kHz (what OpenAI's `pcm` and `wav` use): each letter is a
 * slot of sound (a vowel a voiced tone with two formants, a consonant a short noise burst), each
 * space or punctuation mark a pause, each voice its own pitch. MP3 is silent MPEG-1 Layer III
 * frames of the same length (no encoder here), which browsers decode and time as they would a
 * real one. Pure functions, so they run in Deno and in Node tests alike.
 */

export const SPEECH_SAMPLE_RATE = 24_000;
/** Length of one letter or pause. */
export const SLOT_SECONDS = 0.06;
const SLOT_SAMPLES = Math.round(SPEECH_SAMPLE_RATE * SLOT_SECONDS);
/** Silence after the last word, so a player does not clip it. */
const TAIL_SLOTS = 4;
const WAV_HEADER_BYTES = 44;
const TABLE_SIZE = 512;
const FADE_SAMPLES = Math.round(SPEECH_SAMPLE_RATE * 0.006);

/** Vowel formants (F1, F2 in Hz), roughly as an adult speaker says them. */
const FORMANTS: Record<string, [number, number]> = {
  a: [730, 1090],
  e: [530, 1840],
  i: [270, 2290],
  o: [570, 840],
  u: [300, 870],
  y: [300, 2000],
};

/** Samples the text becomes: one slot per character plus a short tail. */
export function speechSampleCount(text: string): number {
  return (Array.from(text).length + TAIL_SLOTS) * SLOT_SAMPLES;
}

/** How long the text takes to say, in seconds. */
export function speechDurationSeconds(text: string): number {
  return speechSampleCount(text) / SPEECH_SAMPLE_RATE;
}

/** The 44-byte RIFF/WAVE header of `dataBytes` bytes of 16-bit mono PCM. */
export function wavHeader(dataBytes: number, sampleRate = SPEECH_SAMPLE_RATE): Uint8Array {
  const header = new Uint8Array(WAV_HEADER_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  return header;
}

/** A voice's pitch: a stable number between 95 and 235 Hz from its name. */
export function voicePitch(voice: string): number {
  let hash = 2166136261;
  for (const char of voice) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return 95 + (hash % 141);
}

/** One period of a vowel at pitch `f0`: harmonics weighted by their distance to the formants. */
function vowelTable(formants: [number, number], f0: number): Float32Array {
  const table = new Float32Array(TABLE_SIZE);
  const resonance = (frequency: number, centre: number, width: number) => 1 / (1 + ((frequency - centre) / width) ** 2);
  let peak = 0;
  for (let harmonic = 1; harmonic * f0 < 3500; harmonic++) {
    const frequency = harmonic * f0;
    const gain = 0.3 / harmonic + resonance(frequency, formants[0], 90) + 0.6 * resonance(frequency, formants[1], 120);
    for (let i = 0; i < TABLE_SIZE; i++) table[i] += gain * Math.sin((2 * Math.PI * harmonic * i) / TABLE_SIZE);
  }
  for (const value of table) peak = Math.max(peak, Math.abs(value));
  for (let i = 0; i < TABLE_SIZE; i++) table[i] /= peak || 1;
  return table;
}

/**
 * The text's PCM samples (little-endian 16-bit) in chunks of about `chunkSamples`, computed as
 * they are asked for: a long text never sits in memory whole.
 */
export function* speechPcmChunks(text: string, voice: string, chunkSamples = 4800): Generator<Uint8Array> {
  const f0 = voicePitch(voice);
  const tables = new Map(Object.entries(FORMANTS).map(([vowel, formants]) => [vowel, vowelTable(formants, f0)]));
  const slots = [...Array.from(text.toLowerCase()), ...Array(TAIL_SLOTS).fill(" ")];
  let phase = 0;
  let noise = 0x2545f491;
  let chunk = new Int16Array(chunkSamples);
  let filled = 0;
  for (const [index, char] of slots.entries()) {
    const table = tables.get(char);
    const consonant = !table && /\p{L}/u.test(char);
    // Intonation: the pitch falls a little over each word group, then resets.
    const pitch = f0 * (1.08 - 0.12 * ((index % 24) / 24));
    for (let n = 0; n < SLOT_SAMPLES; n++) {
      const envelope = Math.min(1, n / FADE_SAMPLES, (SLOT_SAMPLES - 1 - n) / FADE_SAMPLES);
      let sample = 0;
      if (table) {
        phase = (phase + (pitch * TABLE_SIZE) / SPEECH_SAMPLE_RATE) % TABLE_SIZE;
        sample = 0.55 * table[Math.floor(phase)];
      } else if (consonant) {
        noise = (Math.imul(noise, 1103515245) + 12345) >>> 0;
        sample = n < SLOT_SAMPLES / 2 ? 0.18 * ((noise / 0xffffffff) * 2 - 1) : 0;
      }
      chunk[filled++] = Math.round(sample * envelope * 32767);
      if (filled === chunkSamples) {
        yield pcmBytes(chunk, filled);
        chunk = new Int16Array(chunkSamples);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield pcmBytes(chunk, filled);
}

function pcmBytes(samples: Int16Array, count: number): Uint8Array {
  const bytes = new Uint8Array(count * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) view.setInt16(i * 2, samples[i], true);
  return bytes;
}

/** The whole WAV file of the text (header first), in the chunks a stream sends. */
export function* speechWavChunks(text: string, voice: string, chunkSamples?: number): Generator<Uint8Array> {
  yield wavHeader(speechSampleCount(text) * 2);
  yield* speechPcmChunks(text, voice, chunkSamples);
}

// MPEG-1 Layer III, 32 kbit/s, 48 kHz, mono: 1,152 samples (24 ms) in 96 bytes. An all-zero side
// information block has no audio data, which every decoder plays as silence.
const MP3_FRAME_BYTES = 96;
const MP3_FRAME_SECONDS = 1152 / 48_000;
const MP3_FRAME = (() => {
  const frame = new Uint8Array(MP3_FRAME_BYTES);
  frame.set([0xff, 0xfb, 0x14, 0xc0]);
  return frame;
})();

/** Silent MP3 frames as long as the text's speech, about `framesPerChunk` to a chunk. */
export function* speechMp3Chunks(text: string, framesPerChunk = 40): Generator<Uint8Array> {
  let frames = Math.ceil(speechDurationSeconds(text) / MP3_FRAME_SECONDS);
  while (frames > 0) {
    const count = Math.min(frames, framesPerChunk);
    const chunk = new Uint8Array(count * MP3_FRAME_BYTES);
    for (let i = 0; i < count; i++) chunk.set(MP3_FRAME, i * MP3_FRAME_BYTES);
    frames -= count;
    yield chunk;
  }
}
