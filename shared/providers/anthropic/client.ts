import Anthropic from "@anthropic-ai/sdk";
import { env } from "../../env.ts";

let client: Anthropic | undefined;

/**
 * The one Anthropic client of the process (official SDK), loaded only by requests that go to
 * Anthropic. `ANTHROPIC_BASE_URL` points it elsewhere (the local simulator). Timeouts and retries
 * follow the OpenAI settings: an Edge Function is cut off at 150 s whoever the provider is.
 */
export function anthropic(): Anthropic {
  if (client) return client;
  const settings = env();
  if (!settings.ANTHROPIC_API_KEY) throw new Error("ANTHROPIC_API_KEY is not set");
  client = new Anthropic({
    apiKey: settings.ANTHROPIC_API_KEY,
    baseURL: settings.ANTHROPIC_BASE_URL,
    timeout: settings.OPENAI_TIMEOUT_MS,
    maxRetries: settings.OPENAI_MAX_RETRIES,
  });
  return client;
}

/** Drops the cached client so the next call reads the environment again (tests change it). */
export function resetAnthropic(): void {
  client = undefined;
}
