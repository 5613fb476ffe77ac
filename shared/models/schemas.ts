import { z } from "zod";
import { cursorParam, limitParam } from "../db/keyset.ts";

/** A path whose only segment is a model id (status, delete, chat, conversations). */
export const modelIdPath = ["modelId"] as const;
export const modelIdParams = z.object({
  modelId: z.string({ message: "The path must end with /<modelId>" }).uuid({ message: "modelId must be a UUID" }),
});

export const modelTypeSchema = z.enum(["author", "character"]);

/** Query of GET /fine-tune-models. */
export const listModelsQuery = z.object({
  type: modelTypeSchema.optional(),
  bookId: z.string().trim().min(1).max(200).optional(),
  limit: limitParam,
  cursor: cursorParam.optional(),
}).strict();
