import type OpenAI from "openai";
import { env } from "../../env.ts";

let client: Promise<OpenAI> | undefined;

/** True when an API key is configured: without one, fine-tuning and the teacher are unavailable. */
export function openAIConfigured(): boolean {
  return Boolean(env().OPENAI_API_KEY);
}

/**
 * The one OpenAI client of the process (official SDK). `OPENAI_BASE_URL` points it at any
 * OpenAI-compatible endpoint (the local simulator included). Timeouts are short: the SDK's default
 * is 10 minutes, while an Edge Function is cut off after 150 s. The SDK retries 408/409/429/5xx
 * and connection errors with backoff, `OPENAI_MAX_RETRIES` times.
 *
 * The SDK is loaded on first use, not at import: it is a large part of a cold start, and most
 * requests (lists, status, conversations) never call the provider. A missing key still throws at
 * once, before anything is loaded.
 */
export function openAI(): Promise<OpenAI> {
  if (client) return client;
  const settings = env();
  if (!settings.OPENAI_API_KEY) throw new Error("OPENAI_API_KEY is not set");
  client = openAISdk().then(({ default: OpenAI }) =>
    new OpenAI({
      apiKey: settings.OPENAI_API_KEY,
      baseURL: settings.OPENAI_BASE_URL,
      organization: settings.OPENAI_ORGANIZATION,
      timeout: settings.OPENAI_TIMEOUT_MS,
      maxRetries: settings.OPENAI_MAX_RETRIES,
    })
  );
  return client;
}

/** The official SDK's module, loaded once on first use (see `openAI`). */
export function openAISdk(): Promise<typeof import("openai")> {
  return import("openai");
}

/** Drops the cached client so the next call reads the environment again (tests change it). */
export function resetOpenAI(): void {
  client = undefined;
}
