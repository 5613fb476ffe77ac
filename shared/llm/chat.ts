import type { ModelRules } from "./model-rules.ts";
import type { TokenUsage } from "./usage.ts";

/** The provider-neutral shape of a chat: what the chat domain builds and what every provider answers. */

/** One turn of a conversation, as the chat endpoint and the persona fallback build it. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A chat request to a provider (fine-tuned model or the base model). */
export interface ChatRequest {
  /** Which provider serves `model` (default: `CHAT_PROVIDER`). */
  provider?: string;
  model: string;
  /** The model's parameter rules from the catalogue; absent: the provider's rules for its family. */
  rules?: ModelRules;
  /** Where the model takes one (default: `none`, which also lets temperature through). */
  reasoningEffort?: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  /** Aborts the HTTP request too (e.g. the caller's `request.signal` when the client goes away). */
  signal?: AbortSignal;
  /**
   * SDK retries for this call. Default: at most one (and never more than `OPENAI_MAX_RETRIES`):
   * a user is waiting, and the chat endpoint falls back to the base model once by itself.
   */
  maxRetries?: number;
  /**
   * Per attempt, the wait for the response to start; when streaming, also the longest silence
   * between chunks. Default: `OPENAI_TIMEOUT_MS`.
   */
  timeoutMs?: number;
}

/** A finished reply. `tokensUsed` counts prompt and completion, as quotas and costs do. */
export interface ChatReply {
  text: string;
  tokensUsed: number;
  /** The same tokens split as the provider bills them (the spend ledger prices these). */
  usage: TokenUsage;
  model: string;
}

/** What `streamChat` yields: text as it arrives, then one `done` with the totals. */
export type ChatStreamEvent =
  | { type: "delta"; text: string }
  | { type: "done"; tokensUsed: number; usage: TokenUsage; model: string };

/** A chat API: one complete reply, or the reply as it is written (see the providers' implementations). */
export interface ChatClient {
  completeChat(request: ChatRequest): Promise<ChatReply>;
  streamChat(request: ChatRequest): AsyncGenerator<ChatStreamEvent, void, undefined>;
}
