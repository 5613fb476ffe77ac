import { env } from "../../env.ts";
import { ProviderError } from "../../llm/errors.ts";
import type { FineTuneServing } from "../chat-provider.ts";
import { attachedAdapters } from "./endpoint.ts";
import { mayUseEndpoint, servesServerless } from "./serving.ts";

/** The price-table row of chat on the dedicated endpoint: nothing per token (the hosting is billed by the minute). */
export const DEDICATED_ENDPOINT_PRICE_MODEL = "dedicated-endpoint";

/**
 * Whether Together answers as the fine-tune `model` now: attached to the dedicated endpoint (its
 * adapter list, read at most every 30 s), else served serverless for its base. Anything else is
 * never sent: Together would refuse it (400 `model_not_available`).
 */
export async function togetherServingOf(model: string, baseModel: string | null): Promise<FineTuneServing> {
  if (mayUseEndpoint(baseModel)) {
    try {
      if ((await attachedAdapters()).has(model)) return { served: true, priceModel: DEDICATED_ENDPOINT_PRICE_MODEL };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (!servesServerless(baseModel)) {
        return { served: false, reason: `the dedicated endpoint's adapters could not be read (${error.message})` };
      }
    }
  }
  if (servesServerless(baseModel)) return { served: true };
  const endpoint = env().TOGETHER_ENDPOINT_ID;
  const base = baseModel ?? "its base";
  return {
    served: false,
    reason: endpoint
      ? `the fine-tune is not deployed: it is not attached to the dedicated endpoint ${endpoint}, and ${base} is not served by serverless LoRA`
      : `the fine-tune is not deployed: ${base} is not served by serverless LoRA, and no dedicated endpoint is set`,
  };
}
