import { env } from "../env.ts";
import type { SpeechProvider } from "./speech-provider.ts";

/**
 * Speech as configured: whether it is on, the voices a persona may have, and the provider that
 * speaks, loaded on first use. Any OpenAI-compatible `/v1/audio/speech` endpoint (TTS_BASE_URL)
 * is served by one implementation; a provider with another request shape is a folder implementing
 * `SpeechProvider` plus one line here.
 */
const LOADERS = {
  "openai-compatible": async () => (await import("./openai/speech.ts")).openAICompatibleSpeech,
} satisfies Record<string, () => Promise<SpeechProvider>>;

/** Most characters one request may speak (OpenAI's limit on `/v1/audio/speech`, shared by its peers). */
export const MAX_SPEECH_CHARACTERS = 4096;

export interface SpeechSettings {
  /** False until TTS_BASE_URL and TTS_MODEL are set: nothing can be spoken. */
  configured: boolean;
  voices: readonly string[];
  defaultVoice: string;
  /** TTS_MODEL, null while speech is off. */
  model: string | null;
}

/** The speech settings (no provider is loaded). */
export function speechSettings(): SpeechSettings {
  const settings = env();
  return {
    configured: Boolean(settings.TTS_BASE_URL && settings.TTS_MODEL),
    voices: settings.TTS_VOICES,
    defaultVoice: settings.TTS_VOICE,
    model: settings.TTS_MODEL ?? null,
  };
}

/** True when `voice` is one a persona may have. */
export function isSpeechVoice(voice: string): boolean {
  return speechSettings().voices.includes(voice);
}

/**
 * The voice a persona speaks in: its own while it is still on the list (the list may change after
 * it was chosen), else the default.
 */
export function voiceFor(chosen: string | null): string {
  return chosen && isSpeechVoice(chosen) ? chosen : speechSettings().defaultVoice;
}

/** The configured speech provider, loaded on first use. */
export async function speechProvider(): Promise<SpeechProvider> {
  return await LOADERS["openai-compatible"]();
}
