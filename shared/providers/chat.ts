import { env } from "../env.ts";
import type { ChatReply, ChatRequest, ChatStreamEvent } from "../llm/chat.ts";
import { chatProvider } from "./chat-registry.ts";

/**
 * Chat, provider-neutral: the request's provider (default `CHAT_PROVIDER`) decides the client, and
 * its SDK is loaded on first use.
 */

/** One complete reply (see `ChatProvider.completeChat`). */
export async function completeChat(request: ChatRequest): Promise<ChatReply> {
  const provider = await chatProvider(request.provider ?? env().CHAT_PROVIDER);
  return await provider.completeChat(request);
}

/** A reply as it is written (see `ChatProvider.streamChat`). */
export async function* streamChat(request: ChatRequest): AsyncGenerator<ChatStreamEvent, void, undefined> {
  const provider = await chatProvider(request.provider ?? env().CHAT_PROVIDER);
  yield* provider.streamChat(request);
}
