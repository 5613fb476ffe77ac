import { z } from "zod";
import type { FileResponse } from "together-ai/resources/files";
import type { FineTuningCreateParams } from "together-ai/resources/fine-tuning";
import { env } from "../../env.ts";
import { parseProviderResponse, ProviderError } from "../../llm/errors.ts";
import type {
  BaseModelChoice,
  HostingState,
  JobOwner,
  ProviderJob,
  StartJobInput,
  TrainingLimits,
  TrainingPrice,
  TrainingProvider,
} from "../training-provider.ts";
import { jsonBody, togetherConfigured, togetherJson } from "./client.ts";
import { attachAdapter, detachAdapter, endpointHosting } from "./endpoint.ts";
import {
  jobBelongsTo,
  normalizeTogetherStatus,
  type TogetherJob,
  togetherJobListSchema,
  togetherJobSchema,
  togetherSuffixForRun,
  toProviderJob,
  type UnknownFields,
} from "./jobs.ts";
import { togetherTrainingPrice } from "./pricing.ts";
import { mayUseEndpoint, togetherServingRefusal } from "./serving.ts";

const fileSchema = z.object({ id: z.string().min(1) });
const _fileFieldsKnown: UnknownFields<z.infer<typeof fileSchema>, FileResponse> extends never ? true : never = true;
const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

/** LoRA adapters small enough for serverless LoRA and for many on one dedicated endpoint. */
const LORA = { type: "Lora", lora_r: 8, lora_alpha: 16 } as const;

/**
 * Together AI fine-tuning over its REST API: the chat JSONL as it is (Together takes the same
 * `{"messages": [...]}` lines), LoRA supervised jobs tagged with the training run's id in their
 * suffix (how a retry finds the job it started), status, cancel; a completed fine-tune is attached
 * to the dedicated endpoint when one is configured (see serving.ts for which bases can answer).
 */
export class TogetherTrainingProvider implements TrainingProvider {
  readonly name = "together";
  /** Our own bounds: Together checks files loosely, and longer runs only overfit a persona. */
  readonly limits: TrainingLimits = { minExamples: 1, maxEpochs: 20 };

  isAvailable(): boolean {
    return togetherConfigured();
  }

  baseModels(): BaseModelChoice {
    const settings = env();
    return { default: settings.TOGETHER_FINE_TUNE_BASE_MODEL, allowed: settings.TOGETHER_ALLOWED_BASE_MODELS };
  }

  trainingPrice(baseModel: string): TrainingPrice | null {
    return togetherTrainingPrice(baseModel);
  }

  servingRefusal(baseModel: string): string | null {
    return togetherServingRefusal(baseModel);
  }

  /**
   * Attaches the adapter to TOGETHER_ENDPOINT_ID (its base must be the endpoint's). Without an
   * endpoint, or for a `-Reference` base, nothing to do: serverless LoRA serves it or nothing does
   * (chat then says why). A refusal that will not change (the base does not match the endpoint's)
   * is logged by the caller and leaves the fine-tune unattached; chat answers in persona mode.
   */
  async deployFineTune(job: ProviderJob): Promise<void> {
    if (!job.fineTunedModel || !mayUseEndpoint(job.baseModel ?? null)) return;
    await attachAdapter(job.fineTunedModel);
  }

  async hostingState(): Promise<HostingState | null> {
    return env().TOGETHER_ENDPOINT_ID ? await endpointHosting() : null;
  }

  async uploadTrainingFile(jsonl: string, filename: string): Promise<{ fileId: string }> {
    const action = "uploading the training file to Together AI";
    const name = filename.endsWith(".jsonl") ? filename : `${filename}.jsonl`;
    const form = new FormData();
    form.set("purpose", "fine-tune");
    form.set("file_name", name);
    form.set("file_type", "jsonl");
    form.set("file", new Blob([jsonl], { type: "application/jsonl" }), name);
    const body = await togetherJson("/files/upload", { method: "POST", body: form }, { action });
    return { fileId: parseProviderResponse(fileSchema, body, action).id };
  }

  /** Together jobs were always tagged by run, so the run id alone finds its job. */
  async findJobForRun({ runId }: JobOwner): Promise<ProviderJob | null> {
    const job = await this.findRawJob((candidate) => jobBelongsTo(candidate, togetherSuffixForRun(runId)));
    return job ? await this.getJob(job.id) : null;
  }

  async createJob(input: StartJobInput): Promise<ProviderJob> {
    const action = "starting the Together fine-tuning job";
    if (!Number.isInteger(input.epochs) || input.epochs < 1 || input.epochs > this.limits.maxEpochs) {
      throw new ProviderError("invalid_request", `${action} failed: epochs must be a whole number from 1 to ${this.limits.maxEpochs}`);
    }
    const body = await togetherJson("/fine-tunes", jsonBody(createJobBody(input)), { action, creatingJob: true });
    return toProviderJob(parseProviderResponse(togetherJobSchema, body, action));
  }

  async getJob(jobId: string): Promise<ProviderJob> {
    return toProviderJob(await this.retrieveJob(jobId));
  }

  /** Cancels a job; one already finished, or unknown to Together, is left as it is. */
  async cancelJob(jobId: string): Promise<void> {
    const action = "cancelling the Together fine-tuning job";
    try {
      await togetherJson(`/fine-tunes/${encodeURIComponent(jobId)}/cancel`, { method: "POST" }, { action });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.kind === "not_found") return;
      // A finished job cannot be cancelled: finished is what the caller wanted.
      if (error.status === 400 || error.status === 409 || error.status === 422) {
        const job = await this.retrieveJob(jobId);
        if (FINISHED.has(normalizeTogetherStatus(job.status))) return;
      }
      throw error;
    }
  }

  /**
   * Detaches the adapter from the dedicated endpoint, then deletes the job that made it. Together's
   * reference (openapi.yaml at 090263a, together-ai 0.52.0) has no model delete: the job delete is
   * the only one it offers. Gone already is fine; any other refusal throws `ProviderError`.
   */
  async deleteModel(fineTunedModel: string, jobId?: string | null): Promise<void> {
    if (env().TOGETHER_ENDPOINT_ID) await detachAdapter(fineTunedModel);
    const id = jobId ?? (await this.findRawJob((job) => job.model_output_name === fineTunedModel))?.id;
    if (!id) return;
    try {
      await togetherJson(`/fine-tunes/${encodeURIComponent(id)}?force=true`, { method: "DELETE" }, {
        action: "deleting the Together fine-tune",
      });
    } catch (error) {
      if (error instanceof ProviderError && error.kind === "not_found") return;
      throw error;
    }
  }

  private async retrieveJob(jobId: string): Promise<TogetherJob> {
    const action = "reading the Together fine-tuning job";
    const body = await togetherJson(`/fine-tunes/${encodeURIComponent(jobId)}`, { method: "GET" }, { action });
    return parseProviderResponse(togetherJobSchema, body, action);
  }

  /** The newest job that matches: Together lists every job of the account at once, unpaged. */
  private async findRawJob(matches: (job: TogetherJob) => boolean): Promise<TogetherJob | null> {
    const action = "looking up the model's Together fine-tuning job";
    const page = parseProviderResponse(togetherJobListSchema, await togetherJson("/fine-tunes", { method: "GET" }, { action }), action);
    const found = page.data.filter(matches);
    found.sort((a, b) => (b.created_at ?? "").localeCompare(a.created_at ?? ""));
    return found[0] ?? null;
  }
}

/** The create request: LoRA, supervised, the run id in the suffix. */
export function createJobBody(input: StartJobInput): FineTuningCreateParams {
  return {
    model: input.baseModel,
    training_file: input.trainingFileId,
    n_epochs: input.epochs,
    suffix: togetherSuffixForRun(input.runId),
    training_type: LORA,
    training_method: { method: "sft", train_on_inputs: "auto" },
  };
}
