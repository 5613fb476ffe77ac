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
