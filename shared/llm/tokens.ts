/**
 * The one token estimate, for budgets, quotas and costs where no tokenizer is at hand (Edge
 * Functions load no BPE tables) or the provider reported no usage.
 */

const utf8 = new TextEncoder();

/**
 * Tokens in a text: UTF-8 bytes / 4 plus 10%. It approximates OpenAI's tokenizers (o200k and
 * cl100k): English runs about four characters a token, so this is chars/4 with a margin; for
 * non-Latin scripts, where chars/4 undercounts badly, the byte count grows faster.
 */
export function estimateTokens(text: string): number {
  return estimateTokensOfBytes(utf8.encode(text).length);
}

/** The same estimate from a UTF-8 byte count, for callers that add up a text piece by piece. */
export function estimateTokensOfBytes(bytes: number): number {
  // Integer arithmetic: (bytes / 4) * 1.1 in floating point would round 110 up to 111.
  return Math.ceil((bytes * 11) / 40);
}

/** What OpenAI's chat format adds around each message (role, separators). */
export const TOKENS_PER_MESSAGE = 4;

/** Tokens one chat message costs in a prompt: its text plus the message framing. */
export function estimateMessageTokens(content: string): number {
  return estimateTokens(content) + TOKENS_PER_MESSAGE;
}
