import { z } from "zod";
import { limitParam, listingCursorParam } from "../db/keyset.ts";

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
  /** newest (default): newest first; popular: most chats in the last 30 days first, then most chats. */
  sort: z.enum(["newest", "popular"]).default("newest"),
  /** anyone (default): the caller's own and the public ones; me: the caller's own only. */
  owner: z.enum(["anyone", "me"]).default("anyone"),
  cursor: listingCursorParam.optional(),
}).strict();
