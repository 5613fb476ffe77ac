import type OpenAI from "openai";
import { env } from "../../env.ts";

/**
 * Any OpenAI-compatible Chat Completions endpoint (Cohere's Compatibility API, OpenRouter, vLLM,
 * Ollama) through the official `openai` SDK pointed at `COMPATIBLE_BASE_URL`, as Cohere's own
 * guide does (docs.cohere.com/docs/compatibility-api). Timeouts and retries follow the OpenAI
 * settings: an Edge Function is cut off at 150 s whoever answers.
 */

/** Sent as the bearer token to a server that needs none (the SDK insists on a key). */
const NO_KEY = "no-key";

let pending: Promise<OpenAI> | undefined;

/** The process's client for the endpoint, built on first use (the SDK loads only then). */
export function compatibleClient(): Promise<OpenAI> {
  const settings = env();
  const baseURL = settings.COMPATIBLE_BASE_URL;
  if (!baseURL) throw new Error("COMPATIBLE_BASE_URL is not set"); // configuration, not an outage
  pending ??= import("openai").then(({ default: Sdk }) =>
    new Sdk({
      baseURL,
      apiKey: settings.COMPATIBLE_API_KEY ?? NO_KEY,
      // Not OpenAI: the SDK must not add OPENAI_ORG_ID / OPENAI_PROJECT_ID headers from the environment.
      organization: null,
      project: null,
      timeout: settings.OPENAI_TIMEOUT_MS,
      maxRetries: settings.OPENAI_MAX_RETRIES,
    })
  );
  return pending;
}

/** Drops the cached client so the next call reads the environment again (tests change it). */
export function resetCompatibleClient(): void {
  pending = undefined;
}
