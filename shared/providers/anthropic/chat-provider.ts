import type { ChatProvider } from "../chat-provider.ts";
import { chatProviderConfigured } from "../credentials.ts";
import { completeChat, streamChat } from "./chat.ts";
import { listAnthropicModels } from "./models.ts";
import { anthropicRulesFor } from "./model-rules.ts";
import { anthropicTeacher } from "./teacher.ts";

/** Anthropic's Messages API as a chat provider (persona fallback and teacher; it has no fine-tuning). */
export const anthropicChatProvider: ChatProvider = {
  name: "anthropic",
  isConfigured: () => chatProviderConfigured("anthropic"),
  completeChat,
  streamChat,
  teacher: anthropicTeacher,
  listModels: listAnthropicModels,
  rulesFor: anthropicRulesFor,
};
