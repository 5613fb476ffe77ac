import type { TrainingPrice } from "../training-provider.ts";

/**
 * Together AI's LoRA supervised fine-tuning prices, USD per 1M training tokens, by base model size
 * (its published tiers; an estimate only, the bill is the truth). A model whose name carries no
 * size prices as the smallest tier.
 */
export const TOGETHER_LORA_PRICE_TIERS: readonly { upToBillionParameters: number; usdPerMillionTokens: number }[] = [
  { upToBillionParameters: 16, usdPerMillionTokens: 0.48 },
  { upToBillionParameters: 69, usdPerMillionTokens: 1.5 },
  { upToBillionParameters: 100, usdPerMillionTokens: 2.9 },
];

/** The price of training `baseModel` with LoRA; null past the largest tier (ask Together). */
export function togetherTrainingPrice(baseModel: string): TrainingPrice | null {
  // "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference" -> 8; "Qwen/Qwen2.5-72B-Instruct" -> 72.
  const size = /(\d+(?:\.\d+)?)B\b/i.exec(baseModel.split("/").at(-1) ?? baseModel);
  const billions = size ? Number(size[1]) : 0;
  const tier = TOGETHER_LORA_PRICE_TIERS.find((entry) => billions <= entry.upToBillionParameters);
  if (!tier) return null;
  return { usdPerMillionTokens: tier.usdPerMillionTokens, pricedAs: `together-lora-up-to-${tier.upToBillionParameters}b` };
}
