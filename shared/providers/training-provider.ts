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
}

export interface StartJobInput {
  /** Our model id: used as the job's metadata and suffix so a retry can find the job it started. */
  modelId: string;
  trainingFileId: string;
  baseModel: string;
  epochs: number;
}

/** Why a provider call failed, in the terms the lifecycle decides on. */
export type ProviderErrorKind =
  | "unavailable" // fine-tuning refused or closed for this account (400/403/404 on job creation): persona mode
  | "rate_limited" // 429 after the SDK's retries
  | "server" // 5xx after retries
  | "timeout" // no answer in time
  | "not_found" // the job, file or model does not exist (e.g. a retired fine-tuned model)
  | "bad_response" // the provider answered something we could not use
  | "invalid_request"; // our request was refused (bug or bad data)

/** A provider failure with the kind the caller decides on and a message safe to store. */
export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(readonly kind: ProviderErrorKind, message: string, readonly status?: number) {
    super(message);
  }

  /** Worth trying again later (the sync does; a chat falls back once). */
  get retryable(): boolean {
    return this.kind === "rate_limited" || this.kind === "server" || this.kind === "timeout" ||
      this.kind === "bad_response";
  }
}

export interface TrainingProvider {
  /** Stored in fine_tuned_models.provider. */
  readonly name: string;
  /** False when this deployment cannot fine-tune at all (no key): models go straight to persona mode. */
  isAvailable(): boolean;
  uploadTrainingFile(jsonl: string, filename: string): Promise<{ fileId: string }>;
  /** Looks for a job already started for this model (by metadata), so a retry never starts a second one. */
  findJobForModel(modelId: string): Promise<ProviderJob | null>;
  createJob(input: StartJobInput): Promise<ProviderJob>;
  getJob(jobId: string): Promise<ProviderJob>;
  cancelJob(jobId: string): Promise<void>;
  /** Deletes a fine-tuned model; a model that is already gone is not an error. */
  deleteModel(modelId: string): Promise<void>;
}
