/**
 * The chat client of this deployment. Chat speaks the OpenAI chat format, which every provider we
 * chat with serves (OpenAI, or any compatible endpoint through `OPENAI_BASE_URL`).
 */
export { completeChat, streamChat } from "./openai/chat.ts";
