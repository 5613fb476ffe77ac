import { withServiceTransaction } from "../db/client.ts";
import { recordSpend } from "../db/spend.ts";
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
 * its audio streams. It logs the usage (ids and counts, never the words) and adds it to the spend
 * ledger (kind `speech`, priced per character from `private.model_prices`; a speech endpoint is
 * any OpenAI-compatible one, so it prices as provider `openai`). A ledger write that fails is
 * logged, never in the way of the audio.
 */
export async function recordSpeechUsage(usage: SpeechUsage): Promise<void> {
  log.info("speech", { ...usage });
  await withServiceTransaction((tx) =>
    recordSpend(tx, [{
      userId: usage.userId,
      modelId: usage.modelId,
      kind: "speech",
      provider: "openai",
      billedModel: usage.ttsModel,
      characters: usage.characters,
    }])
  ).catch((error) => log.warn("could not record the speech spend", { error }));
}
