import type { ChatClient } from "../llm/chat.ts";
import { completeChat, streamChat } from "./openai/chat.ts";

/**
 * The chat client of this deployment. Chat speaks the OpenAI chat format, which every provider we
 * chat with serves (OpenAI, or any compatible endpoint through `OPENAI_BASE_URL`). Fine-tunes answer
 * through the chat API of the provider that trained them (`TrainingProvider.chat`).
 */
export { completeChat, streamChat };

/** The persona fallback's chat API. */
export const fallbackChat: ChatClient = { completeChat, streamChat };
