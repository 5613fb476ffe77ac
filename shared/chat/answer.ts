import { env } from "../env.ts";
import { upstreamFailed, upstreamUnavailable } from "../errors.ts";
import { markFineTunedModelRetired } from "../lifecycle/model-store.ts";
import { log } from "../log.ts";
import type { ChatClient } from "../llm/chat.ts";
import { ProviderError } from "../llm/errors.ts";
import { fallbackChat } from "../providers/chat.ts";
import { isTrainingProviderName, trainingProvider } from "../providers/registry.ts";
import type { ChatModel } from "./context.ts";

/** Which model answered. */
export interface AnsweredBy {
  model: string;
  usingFallback: boolean;
}

/**
 * Runs `attempt` against the model that should answer: the fine-tune when the model completed
 * training (through the chat API of the provider that trained it), else the persona fallback (the
 * base model with the style guide as system prompt, on this deployment's chat API).
 * When the fine-tune fails, the fallback answers in the same request, once: a 404 means the
 * provider retired it, which is recorded so later chats go straight to the fallback. When the
 * fallback fails too, the caller gets a retryable 502/503 and nothing is stored.
 */
export async function answerWithFallback<T>(
  model: ChatModel,
  attempt: (providerModel: string, client: ChatClient) => Promise<T>,
): Promise<T & AnsweredBy> {
  let retired = false;
  const fineTuneChat = fineTuneClient(model);
  if (fineTuneChat && model.openai_model_id) {
    try {
      return { ...(await attempt(model.openai_model_id, fineTuneChat)), model: model.openai_model_id, usingFallback: false };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      // Only the API that answers the fallback too can tell "retired" from "misconfigured" (below).
      retired = error.kind === "not_found" && fineTuneChat.completeChat === fallbackChat.completeChat;
      log.warn("fine-tuned model failed; answering with the fallback", { modelId: model.id, retired, error });
    }
  }

  const fallbackModel = env().CHAT_MODEL;
  try {
    const answer = { ...(await attempt(fallbackModel, fallbackChat)), model: fallbackModel, usingFallback: true };
    // Recorded only once the same provider has answered the fallback: a 404 from a misconfigured
    // endpoint (which fails the fallback too) must not retire every fine-tuned model.
    if (retired) await markFineTunedModelRetired(model.id);
    return answer;
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    log.warn("fallback model failed", { modelId: model.id, error });
    throw error.kind === "rate_limited" || error.kind === "timeout" ? upstreamUnavailable() : upstreamFailed();
  }
}

/** The chat API of the provider that trained a live fine-tune; null when it should not or cannot answer. */
function fineTuneClient(model: ChatModel): ChatClient | null {
  if (model.chat_mode !== "fine-tuned") return null;
  if (!isTrainingProviderName(model.provider)) {
    log.warn("fine-tune of a provider this build does not know; answering with the fallback", { modelId: model.id });
    return null;
  }
  const provider = trainingProvider(model.provider);
  if (!provider.isAvailable()) {
    log.warn("the provider that trained this fine-tune is not configured; answering with the fallback", { modelId: model.id });
    return null;
  }
  return provider.chat;
}
