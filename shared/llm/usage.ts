import { z } from "zod";
import { estimateMessageTokens, estimateTokens } from "./tokens.ts";

/** What a provider call used: prompt (input) and completion (output) tokens, as providers bill them. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** When a provider reports no usage, the estimate of the prompt and the reply (never zero). */
export function estimateUsage(messages: readonly { content: string }[], reply: string): TokenUsage {
  const inputTokens = messages.reduce((sum, message) => sum + estimateMessageTokens(message.content), 0);
  return { inputTokens, outputTokens: Math.max(1, estimateTokens(reply)) };
}

/** Usage as OpenAI-compatible APIs report it (every field optional: some servers leave parts out). */
export const reportedUsage = z.object({
  prompt_tokens: z.number().int().nonnegative().optional(),
  completion_tokens: z.number().int().nonnegative().optional(),
  total_tokens: z.number().int().nonnegative().optional(),
});
export type ReportedUsage = z.infer<typeof reportedUsage>;

/**
 * The reported split when there is one; a total alone keeps the total, with the estimated reply
 * as its output; nothing reported: the estimate.
 */
export function usageFromReport(reported: ReportedUsage | null | undefined, estimate: TokenUsage): TokenUsage {
  if (reported?.prompt_tokens !== undefined && reported.completion_tokens !== undefined) {
    return { inputTokens: reported.prompt_tokens, outputTokens: reported.completion_tokens };
  }
  if (reported?.total_tokens !== undefined) {
    const outputTokens = Math.min(estimate.outputTokens, reported.total_tokens);
    return { inputTokens: reported.total_tokens - outputTokens, outputTokens };
  }
  return estimate;
}

/** The kinds of call the spend ledger prices. */
export type SpendKind = "chat" | "teacher" | "training" | "speech";

/**
 * One priced call (or several of the same key) as the spend ledger takes it
 * (`private.record_spend`): who caused it, for which persona, at which provider and model.
 */
export interface SpendEntry {
  userId: string;
  modelId: string;
  kind: SpendKind;
  provider: string;
  /** The model the provider billed (a fine-tune by its provider id). */
  billedModel: string;
  /** The price-table row it prices as (a fine-tune: its base); default `billedModel`. */
  priceModel?: string;
  /** Priced at the fine-tuned inference price of `priceModel`. */
  fineTuned?: boolean;
  requests?: number;
  inputTokens?: number;
  outputTokens?: number;
  trainedTokens?: number;
  /** Characters read aloud (speech). */
  characters?: number;
}

/**
 * Collects the usage of calls made on behalf of one persona (the teacher's, while a model is
 * prepared) until the write that stores what they produced takes it (`drain`), so the spend is
 * recorded in that write's transaction.
 */
export class UsageMeter {
  private readonly pending = new Map<string, { provider: string; model: string; requests: number } & TokenUsage>();

  add(provider: string, model: string, usage: TokenUsage): void {
    const key = `${provider}\u0000${model}`;
    const entry = this.pending.get(key) ?? { provider, model, requests: 0, inputTokens: 0, outputTokens: 0 };
    entry.requests += 1;
    entry.inputTokens += usage.inputTokens;
    entry.outputTokens += usage.outputTokens;
    this.pending.set(key, entry);
  }

  /** The collected usage as ledger entries, and the meter emptied. */
  drain(owner: { userId: string; modelId: string; kind: SpendKind }): SpendEntry[] {
    const entries = [...this.pending.values()].map((entry) => ({
      ...owner,
      provider: entry.provider,
      billedModel: entry.model,
      requests: entry.requests,
      inputTokens: entry.inputTokens,
      outputTokens: entry.outputTokens,
    }));
    this.pending.clear();
    return entries;
  }
}
