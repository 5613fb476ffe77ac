import { env } from "../../env.ts";

/**
 * The plain words for OpenAI refusing to fine-tune for this organisation: self-serve fine-tuning
 * closed to new organisations on 2026-05-07, to those without fine-tuned inference for 60 days on
 * 2026-07-02, and closes to everyone on 2027-01-06. OpenAI answers such a job creation with 403.
 */
export const ORGANISATION_REFUSED = "Fine-tuning at OpenAI is not available to this organisation";

/**
 * The organisation OpenAI bills (`OPENAI_ORGANIZATION`), else a hash of the endpoint and the key
 * (the key's default organisation): what a refusal to fine-tune is remembered under. Never the key.
 */
export async function openAIAccountId(): Promise<string> {
  const settings = env();
  if (settings.OPENAI_ORGANIZATION) return `org:${settings.OPENAI_ORGANIZATION}`;
  const material = `${settings.OPENAI_BASE_URL ?? "https://api.openai.com/v1"}\n${settings.OPENAI_API_KEY ?? ""}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `key-sha256:${hex.slice(0, 32)}`;
}
