import { env } from "../env.ts";

/**
 * Whether a chat provider has its key, checked without loading its SDK (a create request asks
 * before any work is done).
 */
export function chatProviderConfigured(name: string): boolean {
  const settings = env();
  if (name === "openai") return Boolean(settings.OPENAI_API_KEY);
  if (name === "anthropic") return Boolean(settings.ANTHROPIC_API_KEY);
  if (name === "together") return Boolean(settings.TOGETHER_API_KEY);
  if (name === "compatible") return Boolean(settings.COMPATIBLE_BASE_URL); // a self-hosted server may take no key
  return false;
}
