import type { ChatMessage } from "../llm/chat.ts";
import { completeChat, streamChat } from "../providers/chat.ts";
import { answerWithFallback } from "./answer.ts";
import type { ChatModel } from "./context.ts";

/** The request options a reader may set on a turn. */
export interface ReplyOptions {
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

/** One complete reply from the model that should answer (its fine-tune, else the fallback). */
export function completeReply(model: ChatModel, messages: ChatMessage[], options: ReplyOptions) {
  return answerWithFallback(model, (choice) => completeChat({ ...choice, messages, ...options }));
}

/**
 * A streamed reply from the model that should answer, opened: the first event is read before this
 * resolves, because it proves the model answers; a failure before it falls back.
 */
export function openStreamedReply(model: ChatModel, messages: ChatMessage[], options: ReplyOptions) {
  return answerWithFallback(model, async (choice) => {
    const events = streamChat({ ...choice, messages, ...options });
    return { events, first: await events.next() };
  });
}

/**
 * What a stored exchange says answered it. Another user's fine-tune is named by its owner's
 * provider id, which the models view shows to the owner only: a reader's own rows say
 * `fine-tuned` instead.
 */
export function modelUsedFor(model: Pick<ChatModel, "owned">, answer: { model: string; usingFallback: boolean }): string {
  return answer.usingFallback || model.owned ? answer.model : "fine-tuned";
}
