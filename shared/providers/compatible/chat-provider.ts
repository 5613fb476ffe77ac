import type { ChatProvider } from "../chat-provider.ts";
import { chatProviderConfigured } from "../credentials.ts";
import { completeChat, streamChat } from "./chat.ts";
import { listCompatibleModels } from "./models.ts";
import { COMPATIBLE_RULES } from "./request.ts";
import { compatibleTeacher } from "./teacher.ts";

/**
 * Any OpenAI-compatible Chat Completions endpoint (`COMPATIBLE_BASE_URL`: Cohere, OpenRouter,
 * vLLM, Ollama) as the persona fallback and the teacher; it has no fine-tuning here.
 */
export const compatibleChatProvider: ChatProvider = {
  name: "compatible",
  // No family rules to tell apart: every model gets what the Compatibility API documents.
  rulesFor: () => COMPATIBLE_RULES,
  listModels: listCompatibleModels,
  // The endpoint's URL is what makes it usable: a self-hosted server may take no key.
  isConfigured: () => chatProviderConfigured("compatible"),
  teacher: compatibleTeacher,
  completeChat,
  streamChat,
};
