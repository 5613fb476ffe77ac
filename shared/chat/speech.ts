import type { UserAuth } from "../auth/identity.ts";
import { withUserTransaction } from "../db/client.ts";
import { HttpError, notFound, upstreamFailed, upstreamUnavailable } from "../errors.ts";
import { ProviderError } from "../llm/errors.ts";
import { MAX_SPEECH_CHARACTERS, speechProvider, speechSettings, voiceFor } from "../providers/speech.ts";
import type { SpeechAudio, SpeechFormat } from "../providers/speech-provider.ts";
import { recordSpeechUsage } from "./speech-usage.ts";

/** Without TTS_BASE_URL and TTS_MODEL nothing can speak: not an outage, so not retryable. */
export const speechNotConfigured = () =>
  new HttpError(501, "speech_not_configured", "Speech is not configured on this deployment (TTS_BASE_URL, TTS_MODEL).");

/** What to speak: the caller's words, or one of their stored replies with the model. */
export type SpeechSource = { text: string } | { chatId: string };

/** The audio of one request, ready to stream on. */
export interface SpokenAudio {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  voice: string;
  characters: number;
}

/**
 * Speaks in the persona's voice. The model must be one the caller may see and a reply one of
 * their own exchanges with it (RLS decides both: anything else is a 404, also for a chat that
 * exists but is another reader's). The lookups finish before the provider is called, so no
 * transaction stays open while audio streams.
 */
export async function speak(
  auth: UserAuth,
  modelId: string,
  source: SpeechSource,
  format: SpeechFormat,
  signal?: AbortSignal,
): Promise<SpokenAudio> {
  const settings = speechSettings();
  if (!settings.configured || !settings.model) throw speechNotConfigured();
  const chatId = "chatId" in source ? source.chatId : null;
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<{ voice: string | null; reply: string | null }[]>`
      select m.voice, c.ai_response as reply
      from public.fine_tuned_models m
      left join public.fine_tuned_chats c on c.id = ${chatId} and c.model_id = m.id
      where m.id = ${modelId}`
  );
  if (!row) throw notFound("No such model.");
  if (chatId && row.reply === null) throw notFound("No such reply.");
  const text = "text" in source ? source.text : fitForSpeech(row.reply!);
  const voice = voiceFor(row.voice);
  const provider = await speechProvider();
  let audio: SpeechAudio;
  try {
    audio = await provider.synthesize({ text, voice, format, signal });
  } catch (error) {
    throw error instanceof ProviderError ? speechFailure(error) : error;
  }
  await recordSpeechUsage({
    userId: auth.userId,
    modelId,
    chatId,
    characters: text.length,
    ttsModel: audio.model,
    voice,
    format,
  });
  return { body: audio.body, contentType: audio.contentType, voice, characters: text.length };
}

/**
 * A stored reply within the provider's limit: whole, or cut at the last sentence end (else word)
 * before it, so a long reply is read as far as it can be, not refused.
 */
export function fitForSpeech(reply: string, limit = MAX_SPEECH_CHARACTERS): string {
  const text = reply.trim();
  if (text.length <= limit) return text;
  const head = text.slice(0, limit);
  const sentence = Math.max(head.lastIndexOf(". "), head.lastIndexOf("! "), head.lastIndexOf("? "), head.lastIndexOf("\n"));
  if (sentence > limit / 2) return head.slice(0, sentence + 1).trim();
  const word = head.lastIndexOf(" ");
  return (word > limit / 2 ? head.slice(0, word) : head).trim();
}

/** A provider failure as the API says it: busy or slow is 503, broken 502 (both retryable); a refusal 502. */
function speechFailure(error: ProviderError): HttpError {
  switch (error.kind) {
    case "rate_limited":
    case "timeout":
      return upstreamUnavailable("The speech provider is busy or slow; try again.");
    case "server":
    case "bad_response":
      return upstreamFailed("The speech provider failed; try again.");
    default:
      return new HttpError(502, "speech_refused", "The speech provider refused the request.");
  }
}
