import { env } from "../env.ts";

/**
 * The training providers a new model tries, in order: `TRAINING_PROVIDERS`, else the one
 * `TRAINING_PROVIDER`. Kept apart from the registry so reading it loads no provider SDK.
 */
export function trainingProviderOrder(): string[] {
  const settings = env();
  const configured = settings.TRAINING_PROVIDERS;
  return configured && configured.length > 0 ? configured : [settings.TRAINING_PROVIDER];
}
