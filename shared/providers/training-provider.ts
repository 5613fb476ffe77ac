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

// Defined with the neutral LLM types; re-exported because every provider method throws it.
export { ProviderError, type ProviderErrorKind } from "../llm/errors.ts";

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
  /**
   * The base model a run moved here from another provider trains on (the first provider's
   * `baseModel` names that provider's model). Absent: `FINE_TUNE_BASE_MODEL`.
   */
  defaultBaseModel?(): string;
}
