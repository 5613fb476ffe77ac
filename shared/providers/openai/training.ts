import type OpenAI from "openai";
import { z } from "zod";
import { log } from "../../log.ts";
import { openAI, openAIConfigured, openAISdk } from "./client.ts";
import { parseProviderResponse } from "../../llm/errors.ts";
import { safeProviderText, toProviderError } from "./errors.ts";
import type { ErrorContext } from "./errors.ts";
import type {
  BaseModelChoice,
  JobOwner,
  NormalizedJobStatus,
  ProviderJob,
  StartJobInput,
  TrainingLimits,
  TrainingPrice,
  TrainingProvider,
} from "../training-provider.ts";
import { ProviderError } from "../../llm/errors.ts";
import { env } from "../../env.ts";
import { openAIAccountId } from "./access.ts";

/** The metadata key that ties a provider job to our model row (how a retry finds its job). */
export const MODEL_ID_METADATA_KEY = "storyvoice_model_id";
/** The metadata key that ties a provider job to one training run of the model (a retrain has its own). */
export const RUN_ID_METADATA_KEY = "storyvoice_run_id";

const STATUS_MAP: Record<string, NormalizedJobStatus> = {
  validating_files: "pending",
  queued: "pending",
  running: "training",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
};
const FINISHED = new Set<NormalizedJobStatus>(["succeeded", "failed", "cancelled"]);

// The list endpoint pages at most 100; the scan below only runs when a server ignores the filter.
const FILTERED_PAGE_SIZE = 20;
const SCAN_PAGE_SIZE = 100;
const SCAN_MAX_PAGES = 3;
const EVENTS_PAGE_SIZE = 20;

const jobSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  fine_tuned_model: z.string().nullish(),
  trained_tokens: z.number().nullish(),
  // OpenAI sends null, {} or { code, message, param }.
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
  estimated_finish: z.number().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});
type RawJob = z.infer<typeof jobSchema>;
const jobPageSchema = z.object({ data: z.array(jobSchema), has_more: z.boolean().optional() });
const fileSchema = z.object({ id: z.string().min(1) });
const eventPageSchema = z.object({
  data: z.array(z.object({ type: z.string().nullish(), data: z.unknown() })),
});
const metricsSchema = z.object({ step: z.number().int().min(0), total_steps: z.number().int().positive() });

/** Maps a provider status to ours; a status we have never seen is kept as `unknown`, not an error. */
export function normalizeJobStatus(rawStatus: string): NormalizedJobStatus {
  return STATUS_MAP[rawStatus] ?? "unknown";
}

/**
 * The fine-tuned model name's suffix: recognisable in the provider's dashboard and unique enough
 * per model, kept to OpenAI's safe alphabet and well under its 64-character limit.
 */
export function suffixForModel(modelId: string): string {
  const compact = modelId.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 12);
  return compact ? `sv-${compact}` : "storyvoice";
}

function failureReason(raw: RawJob): string {
  const message = raw.error?.message?.trim();
  if (!message) return "The provider reported the job failed without a reason.";
  return safeProviderText(raw.error?.code ? `${raw.error.code}: ${message}` : message);
}

function toProviderJob(raw: RawJob, progress: ProviderJob["progress"] = null): ProviderJob {
  const status = normalizeJobStatus(raw.status);
  if (status === "unknown") log.warn("unknown fine-tuning job status", { jobId: raw.id, rawStatus: raw.status });
  return {
    id: raw.id,
    status,
    rawStatus: raw.status,
    fineTunedModel: raw.fine_tuned_model ?? null,
    trainedTokens: raw.trained_tokens ?? null,
    error: status === "failed" ? failureReason(raw) : null,
    estimatedFinish: raw.estimated_finish ? new Date(raw.estimated_finish * 1000) : null,
    progress,
  };
}

/** OpenAI fine-tuning through the official SDK: JSONL upload, supervised jobs, status and clean-up. */
export class OpenAITrainingProvider implements TrainingProvider {
  readonly name = "openai";
  /** OpenAI refuses files under 10 examples and n_epochs above 50. */
  readonly limits: TrainingLimits = { minExamples: 10, maxEpochs: 50 };

  /** `client` is a getter, not an instance, so `resetOpenAI()` (tests, key rotation) takes effect. */
  constructor(private readonly client: () => Promise<OpenAI> = openAI) {}

  isAvailable(): boolean {
    return openAIConfigured();
  }

  baseModels(): BaseModelChoice {
    const settings = env();
    return { default: settings.FINE_TUNE_BASE_MODEL, allowed: settings.ALLOWED_BASE_MODELS };
  }

  accountId(): Promise<string> {
    return openAIAccountId();
  }

  /** Null: the training layer's default table is OpenAI's published prices. */
  trainingPrice(_baseModel: string): TrainingPrice | null {
    return null;
  }

  async uploadTrainingFile(jsonl: string, filename: string): Promise<{ fileId: string }> {
    const action = "uploading the training file";
    // OpenAI judges the format by the extension and refuses anything but .jsonl.
    const name = filename.endsWith(".jsonl") ? filename : `${filename}.jsonl`;
    const file = await this.call({ action }, async () =>
      (await this.client()).files.create({
        file: await (await openAISdk()).toFile(new TextEncoder().encode(jsonl), name, { type: "application/jsonl" }),
        purpose: "fine-tune",
      }));
    return { fileId: parseProviderResponse(fileSchema, file, action).id };
  }

  async findJobForRun({ modelId, runId, firstRun }: JobOwner): Promise<ProviderJob | null> {
    const tagged = await this.findJob(RUN_ID_METADATA_KEY, runId, () => true);
    if (tagged || !firstRun) return tagged;
    // A job started before runs were tagged names only the model: it is the first run's.
    return await this.findJob(MODEL_ID_METADATA_KEY, modelId, (job) => job.metadata?.[RUN_ID_METADATA_KEY] === undefined);
  }

  /** The newest job whose metadata maps `key` to `value` (and that `accept`s), or null. */
  private async findJob(key: string, value: string, accept: (job: RawJob) => boolean): Promise<ProviderJob | null> {
    const action = "looking up the run's fine-tuning job";
    const belongs = (job: RawJob) => job.metadata?.[key] === value;
    let page = await this.listJobs({ metadata: { [key]: value }, limit: FILTERED_PAGE_SIZE }, action);
    // Newest first, so the latest job wins. Matching here as well guards against a server that
    // ignores the filter: then this is a page of recent jobs, and a bounded scan of older ones follows.
    const matches = (job: RawJob) => belongs(job) && accept(job);
    let match = page.data.find(matches);
    const filterIgnored = page.data.some((job) => !belongs(job));
    for (let pages = 1; !match && filterIgnored && page.has_more && pages < SCAN_MAX_PAGES; pages++) {
      const after = page.data.at(-1)?.id;
      if (!after) break;
      page = await this.listJobs({ limit: SCAN_PAGE_SIZE, after }, action);
      match = page.data.find(matches);
    }
    return match ? this.withProgress(match) : null;
  }

  async createJob(input: StartJobInput): Promise<ProviderJob> {
    const action = "starting the fine-tuning job";
    if (!Number.isInteger(input.epochs) || input.epochs < 1 || input.epochs > this.limits.maxEpochs) {
      throw new ProviderError("invalid_request", `${action} failed: epochs must be a whole number from 1 to ${this.limits.maxEpochs}`);
    }
    const job = await this.call({ action, creatingJob: true }, async () =>
      (await this.client()).fineTuning.jobs.create({
        model: input.baseModel,
        training_file: input.trainingFileId,
        suffix: suffixForModel(input.modelId),
        metadata: { [MODEL_ID_METADATA_KEY]: input.modelId, [RUN_ID_METADATA_KEY]: input.runId },
        method: { type: "supervised", supervised: { hyperparameters: { n_epochs: input.epochs } } },
      }));
    return toProviderJob(parseProviderResponse(jobSchema, job, action));
  }

  async getJob(jobId: string): Promise<ProviderJob> {
    return this.withProgress(await this.retrieveJob(jobId));
  }

  /** Cancels a job; one that has already finished, or that the provider does not know, is left as it is. */
  async cancelJob(jobId: string): Promise<void> {
    const action = "cancelling the fine-tuning job";
    try {
      await this.call({ action }, async () => (await this.client()).fineTuning.jobs.cancel(jobId));
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.kind === "not_found") return; // nothing left to cancel
      // OpenAI refuses to cancel a finished job (400; some servers say 409): finished is what the
      // caller wanted, so look before calling it an error.
      if (error.status === 400 || error.status === 409 || error.status === 422) {
        const job = await this.retrieveJob(jobId);
        if (FINISHED.has(normalizeJobStatus(job.status))) return;
      }
      throw error;
    }
  }

  /** OpenAI keeps a fine-tuned model apart from its job: only the model is deleted. */
  async deleteModel(modelId: string, _jobId?: string | null): Promise<void> {
    try {
      await this.call({ action: "deleting the fine-tuned model" }, async () => (await this.client()).models.delete(modelId));
    } catch (error) {
      if (error instanceof ProviderError && error.kind === "not_found") return; // already gone
      throw error;
    }
  }

  private async retrieveJob(jobId: string): Promise<RawJob> {
    const action = "reading the fine-tuning job";
    const job = await this.call({ action }, async () => (await this.client()).fineTuning.jobs.retrieve(jobId));
    return parseProviderResponse(jobSchema, job, action);
  }

  // Read raw: the SDK turns a list body it cannot read into an empty page, which here would mean
  // "no job yet" and start a second one.
  private async listJobs(query: OpenAI.FineTuning.JobListParams, action: string) {
    const body = await this.call({ action }, async () => {
      const response = await (await this.client()).fineTuning.jobs.list(query).asResponse();
      return await response.json() as unknown;
    });
    return parseProviderResponse(jobPageSchema, body, action);
  }

  /** Adds step-of-total from the newest `metrics` event; progress is a nicety, so failing to read it is not fatal. */
  private async withProgress(raw: RawJob): Promise<ProviderJob> {
    if (normalizeJobStatus(raw.status) !== "training") return toProviderJob(raw);
    try {
      const events = await this.call({ action: "reading the job's events" }, async () => {
        const response = await (await this.client()).fineTuning.jobs.listEvents(raw.id, { limit: EVENTS_PAGE_SIZE })
          .asResponse();
        return await response.json() as unknown;
      });
      const page = parseProviderResponse(eventPageSchema, events, "reading the job's events");
      for (const event of page.data) { // newest first
        if (event.type !== "metrics") continue;
        const metrics = metricsSchema.safeParse(event.data);
        if (metrics.success) {
          return toProviderJob(raw, { step: metrics.data.step, totalSteps: metrics.data.total_steps });
        }
      }
    } catch (error) {
      log.warn("could not read fine-tuning progress", { jobId: raw.id, error });
    }
    return toProviderJob(raw);
  }

  private async call<T>(context: ErrorContext, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toProviderError(error, context);
    }
  }
}
