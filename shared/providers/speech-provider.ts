/**
 * The contract of a speech (text-to-speech) provider. One folder per provider implements it; the
 * speech registry (./speech.ts) loads the configured one on first use, so a function that never
 * speaks loads none of it.
 */

/** Audio containers a reply can be read aloud in. */
export const SPEECH_FORMATS = ["mp3", "wav"] as const;
export type SpeechFormat = typeof SPEECH_FORMATS[number];

/** The Content-Type each format is answered with. */
export const SPEECH_CONTENT_TYPES: Readonly<Record<SpeechFormat, string>> = {
  mp3: "audio/mpeg",
  wav: "audio/wav",
};

export interface SpeechRequest {
  /** What to say, already within the provider's limit. */
  text: string;
  /** A name from the configured voice list. */
  voice: string;
  format: SpeechFormat;
  /** The caller's signal: a listener who went away stops the synthesis. */
  signal?: AbortSignal;
}

/** Audio as the provider makes it: a stream to pass on without waiting for the end. */
export interface SpeechAudio {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  /** The provider's model that spoke, for usage and cost. */
  model: string;
}

export interface SpeechProvider {
  /** The name configuration and logs use. */
  readonly name: string;
  /**
   * Starts synthesis; resolves once the provider has accepted the request (its status is known)
   * and the audio begins. Throws `ProviderError` (kinds as in llm/errors.ts).
   */
  synthesize(request: SpeechRequest): Promise<SpeechAudio>;
}
