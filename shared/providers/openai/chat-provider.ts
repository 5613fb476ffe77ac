import type { ChatProvider } from "../chat-provider.ts";
import { completeChat, streamChat } from "./chat.ts";
import { openAIConfigured } from "./client.ts";
import { listOpenAIModels } from "./models.ts";
import { openAIRulesFor } from "./model-rules.ts";
import { openAITeacher } from "./teacher.ts";

/** OpenAI (or any OpenAI-compatible endpoint through `OPENAI_BASE_URL`) as a chat provider. */
export const openAIChatProvider: ChatProvider = {
  name: "openai",
  isConfigured: openAIConfigured,
  completeChat,
  streamChat,
  teacher: openAITeacher,
  listModels: listOpenAIModels,
  rulesFor: openAIRulesFor,
};
