import { z } from "zod";

const timestamp = z.iso.datetime();

/**
 * A model as every endpoint answers it (see `toModelJson`): the one place its JSON shape is
 * declared, for the OpenAPI document and the handlers' types.
 */
export const modelSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(["author", "character"]),
  entityId: z.string().nullable(),
  entityName: z.string(),
  bookId: z.string(),
  bookInfo: z.record(z.string(), z.unknown()).describe("`{ title, author?, description?, genre? }` as given at creation"),
  description: z.string().nullable(),
  isPublic: z.boolean(),
  quickTune: z.boolean(),
  baseModel: z.string().nullable(),
  provider: z.string(),
  status: z.enum(["pending", "training", "completed", "failed", "ready"])
    .describe("`ready`: persona mode, fine-tuning unavailable, the reason in `error`"),
  mode: z.enum(["fine-tuned", "persona"]).describe("Which model answers chat"),
  openaiJobId: z.string().nullable(),
  openaiModelId: z.string().nullable(),
  trainingDataSummary: z.record(z.string(), z.unknown()).nullable(),
  styleDescription: z.string().nullable(),
  trainingTokens: z.number().int().nullable(),
  estimatedCostUsd: z.number().nullable(),
  error: z.string().nullable(),
  chatCount: z.number().int(),
  lastUsedAt: timestamp.nullable(),
  createdBy: z.uuid(),
  createdAt: timestamp.nullable(),
  updatedAt: timestamp.nullable(),
  trainingStartedAt: timestamp.nullable(),
  trainingCompletedAt: timestamp.nullable(),
  fineTunedModelRetiredAt: timestamp.nullable(),
  starterPrompts: z.array(z.string()).describe("3-5 questions for a new conversation"),
  trainingProgress: z.record(z.string(), z.unknown()).nullable().describe("The provider's job as last seen"),
}).meta({ id: "Model" });
