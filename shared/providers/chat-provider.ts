import type { ChatReply, ChatRequest, ChatStreamEvent } from "../llm/chat.ts";
import type { ModelRules } from "../llm/model-rules.ts";
import type { TeacherClient } from "../llm/teacher.ts";

/**
 * The contract of a provider we chat with (persona fallback, fine-tunes, the teacher). One folder
 * per provider implements it; the chat registry loads the one a request needs, so a function never
 * loads an SDK it does not use.
 */

/** A model the provider lists, with the shutdown date it states (null: it states none). */
export interface ListedModel {
  id: string;
  /** `YYYY-MM-DD` (UTC). */
  shutdownDate: string | null;
}

export interface ChatProvider {
  /** The name the catalogue, `CHAT_PROVIDER` and `fine_tuned_models.provider` use. */
  readonly name: string;
  /** False without a key: nothing can be sent to this provider. */
  isConfigured(): boolean;
  /** One complete reply; throws `ProviderError` (kinds as in llm/errors.ts). */
  completeChat(request: ChatRequest): Promise<ChatReply>;
  /** A reply as it is written: deltas, then `done`; throws `ProviderError`. */
  streamChat(request: ChatRequest): AsyncGenerator<ChatStreamEvent, void, undefined>;
  /** The teacher's JSON completion on this provider. */
  readonly teacher: TeacherClient;
  /** The provider's model list (base models only), for the catalogue refresh. */
  listModels(): Promise<ListedModel[]>;
  /** Parameter rules of a model the catalogue does not know yet, by its family. */
  rulesFor(modelId: string): ModelRules;
  /**
   * Whether the fine-tune `model` (trained on `baseModel`) can be asked now: a provider that serves
   * fine-tunes only once deployed says why not, and chat answers in persona mode. Absent: served.
   */
  servingOf?(model: string, baseModel: string | null): Promise<FineTuneServing>;
}

/** How a provider serves a fine-tune now. */
export type FineTuneServing =
  /** `priceModel`: the price-table row its chat prices as (a dedicated hosting: no per-token price). */
  | { served: true; priceModel?: string }
  | { served: false; reason: string };
