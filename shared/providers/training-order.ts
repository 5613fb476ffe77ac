import { env } from "../env.ts";

/** The provider new models train with when `TRAINING_PROVIDERS` is not set. */
export const DEFAULT_TRAINING_PROVIDER = "openai";

/**
 * The training providers a new model tries, in order (`TRAINING_PROVIDERS`, default the one
 * provider). Kept apart from the registry so reading it loads no provider SDK.
 */
export function trainingProviderOrder(): string[] {
  const configured = env().TRAINING_PROVIDERS;
  return configured && configured.length > 0 ? configured : [DEFAULT_TRAINING_PROVIDER];
}
