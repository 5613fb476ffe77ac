import OpenAI from "openai";
import { env } from "../../env.ts";

let client: OpenAI | undefined;

/** True when an API key is configured: without one, fine-tuning and the teacher are unavailable. */
export function openAIConfigured(): boolean {
  return Boolean(env().OPENAI_API_KEY);
}

/**
 * The one OpenAI client of the process (official SDK). `OPENAI_BASE_URL` points it at any
 * OpenAI-compatible endpoint (the local simulator included). Timeouts are short: the SDK's default
 * is 10 minutes, while an Edge Function is cut off after 150 s. The SDK retries 408/409/429/5xx
 * and connection errors with backoff, `OPENAI_MAX_RETRIES` times.
 */
export function openAI(): OpenAI {
  if (client) return client;
  const settings = env();
  if (!settings.OPENAI_API_KEY) throw new Error("OPENAI_API_KEY is not set");
  client = new OpenAI({
    apiKey: settings.OPENAI_API_KEY,
    baseURL: settings.OPENAI_BASE_URL,
    organization: settings.OPENAI_ORGANIZATION,
    timeout: settings.OPENAI_TIMEOUT_MS,
    maxRetries: settings.OPENAI_MAX_RETRIES,
  });
  return client;
}

/** Drops the cached client so the next call reads the environment again (tests change it). */
export function resetOpenAI(): void {
  client = undefined;
}
