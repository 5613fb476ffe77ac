/**
 * The contract every fine-tuning provider implements (OpenAI first; any provider that takes
 * OpenAI-format chat JSONL, e.g. Together AI, can plug in behind it). Endpoints and the sync only
 * speak this interface, so adding a provider touches shared/providers and nothing else.
 */


/** A provider's job state, normalised. `unknown` keeps a state we have never seen without crashing. */
export type NormalizedJobStatus = "pending" | "training" | "succeeded" | "failed" | "cancelled" | "unknown";

export interface ProviderJob {
  id: string;
  status: NormalizedJobStatus;
  /** The provider's own word for the state, kept for logs and unknown states. */
  rawStatus: string;
  fineTunedModel: string | null;
  trainedTokens: number | null;
  /** The provider's failure reason, when it failed. */
  error: string | null;
  estimatedFinish: Date | null;
  /** Training progress where the provider reports it (step of total). */
  progress: { step: number; totalSteps: number } | null;
  /** The base model the job trains, where the provider says. */
  baseModel?: string | null;
}

export interface StartJobInput {
  /** Our model id: the job's metadata and suffix (recognisable in the provider's dashboard). */
  modelId: string;
  /** Our training run id: the job's metadata, so a retry finds the job of this run and no other. */
  runId: string;
  trainingFileId: string;
  baseModel: string;
  epochs: number;
}

/** Whose job to look for. */
export interface JobOwner {
  modelId: string;
  runId: string;
  /**
   * Whether this is the model's first run: jobs started before runs were tagged carry only the
   * model id, and can only belong to its first run.
   */
  firstRun: boolean;
}

// Defined with the neutral LLM types; re-exported because every provider method throws it.
export { ProviderError, type ProviderErrorKind } from "../llm/errors.ts";

/** What a provider accepts for one job; preparation plans within these before anything is uploaded. */
export interface TrainingLimits {
  /** The provider refuses a training file with fewer examples. */
  minExamples: number;
  /** The most epochs a job may ask for (at least 1). */
  maxEpochs: number;
}

/** The provider's published training price for a base model: an estimate, the bill is the truth. */
export interface TrainingPrice {
  usdPerMillionTokens: number;
  /** The price-table entry the base model was priced as. */
  pricedAs: string;
}

/** The base models this deployment may train at the provider. */
export interface BaseModelChoice {
  /** Used when a request names none. */
  default: string;
  allowed: readonly string[];
}

export interface TrainingProvider {
  /** Stored in fine_tuned_models.provider. */
  readonly name: string;
  /** False when this deployment cannot fine-tune at all (no key): models go straight to persona mode. */
  isAvailable(): boolean;
  uploadTrainingFile(jsonl: string, filename: string): Promise<{ fileId: string }>;
  /**
   * Looks for a job already started for this training run (by metadata), so a retry never starts a
   * second one and a retrain never adopts an earlier run's job.
   */
  findJobForRun(owner: JobOwner): Promise<ProviderJob | null>;
  createJob(input: StartJobInput): Promise<ProviderJob>;
  getJob(jobId: string): Promise<ProviderJob>;
  cancelJob(jobId: string): Promise<void>;
  /**
   * Deletes a fine-tuned model (and, where the provider keeps the two together, the job that made
   * it: `jobId`); a model that is already gone is not an error.
   */
  deleteModel(fineTunedModel: string, jobId?: string | null): Promise<void>;
  /** The base models this deployment trains here (configuration). */
  baseModels(): BaseModelChoice;
  readonly limits: TrainingLimits;
  /** The training price of `baseModel`; null when the provider's table does not know it. */
  trainingPrice(baseModel: string): TrainingPrice | null;
  /**
   * Why a fine-tune of `baseModel` could never answer chat in this deployment (null: it can). A
   * provider whose fine-tunes need a deployment says so; the run is then refused before training.
   */
  servingRefusal?(baseModel: string): string | null;
  /**
   * Makes a succeeded job's fine-tune answerable (attaches it where the provider serves it), before
   * the sync records it completed; a retryable `ProviderError` has the sync ask again later.
   */
  deployFineTune?(job: ProviderJob): Promise<void>;
  /** What the provider's hosting (billed by the minute, not per call) is doing now; null: none. */
  hostingState?(): Promise<HostingState | null>;
  /**
   * Who the provider sees when we call: an organisation id, or a hash of the key and endpoint
   * (never the key). An account-wide refusal to fine-tune is remembered under it. Absent: one
   * account per provider.
   */
  accountId?(): Promise<string>;
}

/** A hosting the provider bills per minute while it runs (a dedicated endpoint). */
export interface HostingState {
  /** What the ledger records it as (the endpoint's id). */
  billedModel: string;
  /** Billing now: started or starting, its hardware held. */
  running: boolean;
  /** The hardware's price while running, USD per minute (all its replicas). */
  usdPerMinute: number;
}
