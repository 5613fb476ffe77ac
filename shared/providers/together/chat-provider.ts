import { ProviderError } from "../../llm/errors.ts";
import type { ModelRules } from "../../llm/model-rules.ts";
import type { ChatProvider } from "../chat-provider.ts";
import { togetherChat } from "./chat.ts";
import { togetherServingOf } from "./chat-serving.ts";
import { togetherConfigured } from "./client.ts";

// Together serves fine-tunes over OpenAI-compatible chat completions that take `max_tokens` and
// temperature, whatever the base.
const TOGETHER_RULES: ModelRules = { tokenParameter: "max_tokens", temperature: "accepted", takesReasoningEffort: false };

/**
 * Together AI as a chat provider: where the personas it trained answer. It is not offered as the
 * persona fallback or the teacher (`CHAT_PROVIDER`), and it states no shutdown dates for adapters,
 * so the catalogue keeps no rows of its own for it.
 */
export const togetherChatProvider: ChatProvider = {
  name: "together",
  isConfigured: togetherConfigured,
  completeChat: togetherChat.completeChat,
  streamChat: togetherChat.streamChat,
  teacher: {
    completeJson() {
      return Promise.reject(new ProviderError("unavailable", "Together is not a teacher provider of this deployment."));
    },
  },
  listModels: () => Promise.resolve([]),
  rulesFor: () => TOGETHER_RULES,
  servingOf: togetherServingOf,
};
