import { env } from "../../env.ts";

/**
 * Whether a fine-tune trained at Together can answer at all, from configuration alone: Together
 * serves a LoRA adapter serverless only for the bases it lists (TOGETHER_SERVERLESS_LORA_BASE_MODELS),
 * else on a dedicated endpoint (TOGETHER_ENDPOINT_ID), which cannot host a `-Reference` base
 * (docs.together.ai/docs/fine-tuning/deployment: "A 404 means the base (often a `-Reference` model)
 * can't be deployed").
 */

/** True for Together's `-Reference` bases, which no dedicated endpoint can host. */
export function isReferenceBase(baseModel: string): boolean {
  return /-Reference$/i.test(baseModel);
}

/** True when Together serves adapters of `baseModel` serverless (per token, no endpoint). */
export function servesServerless(baseModel: string | null): boolean {
  return baseModel !== null && env().TOGETHER_SERVERLESS_LORA_BASE_MODELS.includes(baseModel);
}

/** True when a fine-tune of `baseModel` may be attached to the configured dedicated endpoint. */
export function mayUseEndpoint(baseModel: string | null): boolean {
  return Boolean(env().TOGETHER_ENDPOINT_ID) && !(baseModel && isReferenceBase(baseModel));
}

/** Why a fine-tune of `baseModel` trained here could never answer chat, or null when it can. */
export function togetherServingRefusal(baseModel: string): string | null {
  if (servesServerless(baseModel) || mayUseEndpoint(baseModel)) return null;
  if (env().TOGETHER_ENDPOINT_ID) {
    return `Together cannot serve a fine-tune of ${baseModel}: a -Reference base cannot be deployed on the dedicated endpoint ` +
      "(TOGETHER_ENDPOINT_ID) and it is not listed for serverless LoRA (TOGETHER_SERVERLESS_LORA_BASE_MODELS)";
  }
  return `Together cannot serve a fine-tune of ${baseModel}: it is not listed for serverless LoRA ` +
    "(TOGETHER_SERVERLESS_LORA_BASE_MODELS) and no dedicated endpoint is set (TOGETHER_ENDPOINT_ID)";
}
