import { z } from "zod";
import { modelSchema } from "./model-schema.ts";

/** POST /fine-tune-retrain/:modelId */
export const retrainBody = z.object({
  provider: z.string().trim().min(1).max(50).optional().describe(
    "The training provider to train on (default: the model's current one)",
  ),
}).strict();

/** 202 of POST /fine-tune-retrain/:modelId */
export const retrainStartedResponse = z.object({
  success: z.literal(true),
  model: modelSchema.describe("The model: its newest run pending, chat still on the live fine-tune"),
  runId: z.string().describe("The new training run (the training_runs row)"),
  estimatedTime: z.string().describe("How long training should take, for people"),
}).meta({ id: "RetrainStarted" });
