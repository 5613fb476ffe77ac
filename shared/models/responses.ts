import { z } from "zod";
import { errorBody } from "../errors.ts";
import { modelSchema } from "./model-schema.ts";

/** The training job a create started (`jobId` stays null until the provider has one). */
const jobInfo = z.object({
  jobId: z.string().nullable(),
  estimatedTime: z.string(),
}).meta({ id: "JobInfo" });

/** 202 of POST /fine-tune-author and /fine-tune-character: the `pending` model, training in the background. */
export const createdModelResponse = z.object({
  success: z.literal(true),
  model: modelSchema,
  jobInfo,
  estimatedTime: z.string().describe("How long training should take, for people"),
}).meta({ id: "CreatedModel" });

/** 202 of POST /fine-tune-quick. */
export const quickCreatedModelResponse = createdModelResponse.extend({
  quickTune: z.literal(true),
}).meta({ id: "QuickCreatedModel" });

/** 409 of the create endpoints: a live model for this owner, type, book and entity exists. */
export const modelConflictError = errorBody.extend({
  model: modelSchema.describe("The existing model"),
}).meta({ id: "ModelConflictError" });

/** 429 of the create and retrain endpoints: a quota of the user's plan is spent. */
export const creationQuotaError = errorBody.extend({
  resetAt: z.iso.datetime().describe(
    "When to try again: the next UTC midnight for `models_per_day`, a minute on for `trainings_queued`",
  ),
  quota: z.enum(["models_per_day", "trainings_queued"]).describe(
    "Which quota is spent: the plan's models per UTC day, or the user's unfinished trainings (the plan's " +
      "trainings in flight plus TRAININGS_QUEUED_PER_USER waiting in the queue)",
  ),
  limit: z.number().int().describe("That quota for this user"),
}).meta({ id: "CreationQuotaError" });

/** The 429 answer every create and retrain declares. */
export const creationQuotaResponse = {
  description: "A quota of the user's plan is spent (models per UTC day, or unfinished trainings, queued ones included); nothing was written",
  schema: creationQuotaError,
  headers: { "Retry-After": "Seconds until `resetAt`" },
};

/** A run's place in the training queue, while it waits for a slot at its provider. */
export const trainingQueueSchema = z.object({
  position: z.number().int().min(1).describe("1: the next run to start at this provider"),
  estimatedStartAt: z.iso.datetime().describe("An estimate from the provider's recent job durations"),
  activeJobs: z.number().int().describe("Jobs active at the provider now"),
  maxActiveJobs: z.number().int().describe("TRAINING_MAX_ACTIVE_JOBS"),
}).meta({ id: "TrainingQueue" });

/** A training provider's refusal to fine-tune for this deployment's account, remembered for every new model. */
export const trainingNoticeSchema = z.object({
  provider: z.string().describe("The training provider that refused (a name of TRAINING_PROVIDERS)"),
  reason: z.string().describe("In plain words, e.g. \"Fine-tuning at OpenAI is not available to this organisation: ...\""),
  advice: z.string().describe("What new models do now, and what to set to fine-tune elsewhere"),
  refusedAt: z.iso.datetime(),
  recheckAfter: z.iso.datetime().describe("When a new model asks the provider again"),
}).meta({ id: "TrainingNotice" });

/** 200 of GET /fine-tune-status/:modelId. */
export const modelStatusResponse = z.object({
  success: z.literal(true),
  status: modelSchema.shape.status,
  model: modelSchema,
  ready: z.boolean().describe("Training is over: the model answers in its final mode"),
  progress: z.record(z.string(), z.unknown()).nullable().describe(
    "The provider's job as last seen on the current training run (providerStatus, step, totalSteps, percent, " +
      "estimatedFinish, ...); the owner's only, null for others and before a job exists",
  ),
  queue: trainingQueueSchema.nullable().describe(
    "While the current run waits for a provider slot: its place in the queue (the owner's only); else null",
  ),
  trainingNotice: trainingNoticeSchema.nullable().describe(
    "The deployment's first training provider refused to fine-tune for its account (new models skip it); else null",
  ),
}).meta({ id: "ModelStatus" });

/** 200 of GET /fine-tune-models. */
export const modelListResponse = z.object({
  success: z.literal(true),
  models: z.array(modelSchema).describe("Own and public models, newest first"),
  nextCursor: z.string().nullable().describe("Pass back as `cursor` for the next page; null on the last"),
}).meta({ id: "ModelList" });

/** 200 of DELETE /fine-tune-delete/:modelId. */
export const modelDeletedResponse = z.object({
  success: z.literal(true),
  message: z.string(),
}).meta({ id: "ModelDeleted" });
