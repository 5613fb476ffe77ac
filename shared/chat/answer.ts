import { env } from "../env.ts";
import { upstreamFailed, upstreamUnavailable } from "../errors.ts";
import { markFineTunedModelRetired } from "../lifecycle/model-store.ts";
import { log } from "../log.ts";
import { ProviderError } from "../llm/errors.ts";
import { chatFallbackModel, fineTunedChatModel, type ModelChoice } from "../catalogue/model-choice.ts";
import type { ChatModel } from "./context.ts";

/** Which model answered. */
export interface AnsweredBy {
  model: string;
  /** The provider that answered (and bills the call). */
  provider: string;
  usingFallback: boolean;
  /** The price-table row the answer prices as, where the model said (see ModelChoice). */
  priceModel?: string;
}

/**
 * Runs `attempt` against the model that should answer: the fine-tune when the model completed
 * training and the catalogue says it is alive, else the persona fallback (the base model with the
 * style guide as system prompt). A fine-tune past its shutdown date is never asked: the fallback
 * answers at once. When a live fine-tune fails, the fallback answers in the same request, once: a
 * 404 means the provider retired it, which is recorded so later chats go straight to the fallback.
 * When the fallback fails too, or no chat model is alive, the caller gets a retryable 502/503 and
 * nothing is stored.
 */
export async function answerWithFallback<T>(
  model: ChatModel,
  attempt: (choice: ModelChoice) => Promise<T>,
): Promise<T & AnsweredBy> {
  let retired = false;
  if (model.chat_mode === "fine-tuned" && model.openai_model_id) {
    const fineTune = await fineTunedChatModel({
      provider: model.provider,
      model: model.openai_model_id,
      baseModel: model.base_model,
    });
    if (typeof fineTune === "object") {
      try {
        const priced = fineTune.priceModel ? { priceModel: fineTune.priceModel } : {};
        return { ...(await attempt(fineTune)), model: fineTune.model, provider: fineTune.provider, usingFallback: false, ...priced };
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        // Only the API that answers the fallback too can tell "retired" from "misconfigured" (below).
        retired = error.kind === "not_found" && fineTune.provider === env().CHAT_PROVIDER;
        log.warn("fine-tuned model failed; answering with the fallback", { modelId: model.id, retired, error });
      }
    } else {
      // Shut down by the catalogue's date: recorded once the fallback answers, as for a 404.
      retired = fineTune === "shut-down";
      log.info("fine-tuned model cannot be asked; answering with the fallback", { modelId: model.id, reason: fineTune });
    }
  }

  const fallback = await chatFallbackModel();
  if (!fallback) throw upstreamUnavailable();
  try {
    const answer = { ...(await attempt(fallback)), model: fallback.model, provider: fallback.provider, usingFallback: true };
    // Recorded only once the fallback has answered: a 404 from a misconfigured endpoint (which
    // fails the fallback too) must not retire every fine-tuned model.
    if (retired) await markFineTunedModelRetired(model.id);
    return answer;
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    log.warn("fallback model failed", { modelId: model.id, error });
    throw error.kind === "rate_limited" || error.kind === "timeout" ? upstreamUnavailable() : upstreamFailed();
  }
}
