import { log } from "../log.ts";

/** What one speech call costs: providers price text-to-speech per input character and model. */
export interface SpeechUsage {
  userId: string;
  modelId: string;
  /** The chat exchange read aloud, when it was one. */
  chatId: string | null;
  /** Characters sent to the provider (what it bills). */
  characters: number;
  /** The provider's speech model (TTS_MODEL). */
  ttsModel: string;
  voice: string;
  format: string;
}

/**
 * The one place a speech call's cost is known: called once per call the provider accepted, before
 * its audio streams. It logs the usage (ids and counts, never the words); a spend ledger records it
 * here.
 */
export function recordSpeechUsage(usage: SpeechUsage): Promise<void> {
  log.info("speech", { ...usage });
  return Promise.resolve();
}
