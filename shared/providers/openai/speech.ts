import type OpenAI from "openai";
import { env } from "../../env.ts";
import { ProviderError } from "../../llm/errors.ts";
import type { SpeechAudio, SpeechProvider, SpeechRequest } from "../speech-provider.ts";
import { SPEECH_CONTENT_TYPES } from "../speech-provider.ts";

/**
 * `POST {TTS_BASE_URL}/audio/speech` in OpenAI's request shape (`model`, `input`, `voice`,
 * `response_format`), which AssemblyAI, Together and local servers serve too. Plain `fetch`, not
 * the SDK: one call needs none, and a function that speaks loads no SDK for it. The answer's body
 * is handed on as it arrives.
 */
export const openAICompatibleSpeech: SpeechProvider = {
  name: "openai-compatible",
  synthesize,
};

const MAX_MESSAGE_LENGTH = 300;

async function synthesize(request: SpeechRequest): Promise<SpeechAudio> {
  const settings = env();
  const base = settings.TTS_BASE_URL;
  const model = settings.TTS_MODEL;
  if (!base || !model) throw new Error("TTS_BASE_URL and TTS_MODEL are not set"); // configuration, not an outage
  // The timeout covers the wait for the answer to start; once audio flows, the listener decides.
  const firstByte = new AbortController();
  const timer = setTimeout(() => firstByte.abort(), settings.TTS_TIMEOUT_MS);
  const signal = request.signal ? AbortSignal.any([request.signal, firstByte.signal]) : firstByte.signal;
  const headers: Record<string, string> = { "content-type": "application/json", accept: SPEECH_CONTENT_TYPES[request.format] };
  if (settings.TTS_API_KEY) headers.authorization = `Bearer ${settings.TTS_API_KEY}`;
  try {
    const response = await fetch(`${base.replace(/\/+$/, "")}/audio/speech`, {
      method: "POST",
      headers,
      body: JSON.stringify(
        { model, input: request.text, voice: request.voice, response_format: request.format } satisfies OpenAI.Audio.SpeechCreateParams,
      ),
      signal,
    });
    if (!response.ok) throw await speechHttpError(response);
    if (!response.body) throw new ProviderError("bad_response", "Speech failed: the provider sent no audio");
    const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type.includes("json") || type.startsWith("text/")) {
      void response.body.cancel().catch(() => {}); // not awaited: some runtimes settle it only at the end
      throw new ProviderError("bad_response", `Speech failed: the provider answered ${type}, not audio`);
    }
    return { body: response.body, contentType: SPEECH_CONTENT_TYPES[request.format], model };
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    if (request.signal?.aborted) throw request.signal.reason ?? error;
    if (firstByte.signal.aborted) throw new ProviderError("timeout", "Speech timed out");
    throw new ProviderError("server", "Speech failed: the speech provider could not be reached");
  } finally {
    clearTimeout(timer);
  }
}

/** An error answer as a `ProviderError`: 429 and 5xx the retryable kinds, a refused key `unavailable`. */
async function speechHttpError(response: Response): Promise<ProviderError> {
  const { status } = response;
  let reason = "";
  try {
    const body = await response.json() as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof body.error === "object" ? body.error?.message : body.error ?? body.message;
    if (typeof message === "string") reason = message;
  } catch {
    // Not JSON: the status says enough.
  }
  const key = env().TTS_API_KEY;
  if (key && key.length >= 8) reason = reason.split(key).join("[redacted]");
  reason = reason.replace(/\s+/g, " ").trim().slice(0, MAX_MESSAGE_LENGTH);
  const text = `Speech failed (${status})${reason ? `: ${reason}` : ""}`;
  if (status === 401 || status === 403) return new ProviderError("unavailable", text, status);
  if (status === 408) return new ProviderError("timeout", text, status);
  if (status === 429) return new ProviderError("rate_limited", text, status);
  if (status >= 500 || status === 409) return new ProviderError("server", text, status);
  return new ProviderError("invalid_request", text, status);
}
