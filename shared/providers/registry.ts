import { env } from "../env.ts";
import { OpenAITrainingProvider } from "./openai/training.ts";
import { TogetherTrainingProvider } from "./together/training.ts";
import type { TrainingProvider } from "./training-provider.ts";
import { trainingProviderOrder } from "./training-order.ts";

/**
 * Every training provider this deployment can talk to, by the name stored in
 * `fine_tuned_models.provider`. A new provider is a new file implementing `TrainingProvider`
 * plus one line here.
 */
const PROVIDERS = {
  openai: () => new OpenAITrainingProvider(),
  together: () => new TogetherTrainingProvider(),
} satisfies Record<string, () => TrainingProvider>;

/** The name of a provider this build knows. */
export type TrainingProviderName = keyof typeof PROVIDERS;

/** The provider new models train with: the first of the configured order (see training-order.ts). */
export function configuredTrainingProvider(): string {
  return trainingProviderOrder()[0];
}

const instances = new Map<string, TrainingProvider>();

/** Every training provider this build knows (the sync asks each about its hosting, configured or not for new models). */
export function allTrainingProviders(): TrainingProvider[] {
  return trainingProviderNames().map((name) => trainingProvider(name));
}

/** Every training provider this build knows, by name. */
export function trainingProviderNames(): TrainingProviderName[] {
  return Object.keys(PROVIDERS) as TrainingProviderName[];
}

/** True when `name` (e.g. a stored `provider` column) is a provider this build knows. */
export function isTrainingProviderName(name: string): name is TrainingProviderName {
  return Object.hasOwn(PROVIDERS, name);
}

/**
 * The training provider by name (default: the one new models use). Existing rows pass their
 * stored `provider`, so a model keeps talking to the provider that trained it. Check
 * `isAvailable()` before starting work: it is false when the provider has no key configured.
 */
export function trainingProvider(name: string = configuredTrainingProvider()): TrainingProvider {
  if (!isTrainingProviderName(name)) throw new Error(`Unknown training provider: ${name}`);
  let provider = instances.get(name);
  if (!provider) {
    // Instances hold no configuration of their own (they read env and the shared client on each
    // call), so one per process is enough.
    provider = PROVIDERS[name]();
    instances.set(name, provider);
  }
  return provider;
}

/**
 * Whether new models can be fine-tuned here: the provider is configured and the deployment has not
 * switched fine-tuning off (`FINE_TUNING_ENABLED=false`). When not, models go to persona mode.
 */
export function canFineTune(provider: TrainingProvider = trainingProvider()): boolean {
  return env().FINE_TUNING_ENABLED && provider.isAvailable();
}

/**
 * The provider a run tries after `current` refused to start its job: the next in
 * `TRAINING_PROVIDERS` that this build knows and that is not in `tried`, or null (persona mode).
 * A provider without a key is still returned: its own refusal then moves the run on again.
 */
export function nextTrainingProvider(current: string, tried: ReadonlySet<string>): TrainingProvider | null {
  const order = trainingProviderOrder();
  const after = order.slice(order.indexOf(current) + 1);
  const next = after.find((name) => !tried.has(name) && isTrainingProviderName(name));
  return next ? trainingProvider(next) : null;
}

/**
 * The configured training providers whose default base's fine-tunes could never answer (nothing
 * serves them here), each as one loud line: `npm run dev` and the sync report say it; such runs
 * are refused before training (persona mode, the reason recorded).
 */
export function trainingServingWarnings(): string[] {
  return trainingProviderOrder().filter(isTrainingProviderName).flatMap((name) => {
    const provider = trainingProvider(name);
    if (!canFineTune(provider)) return [];
    const base = provider.baseModels().default;
    const refusal = provider.servingRefusal?.(base);
    return refusal ? [`training at ${name} on ${base} is refused: ${refusal}`] : [];
  });
}
