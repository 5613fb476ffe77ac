import { z } from "zod";
import { cursorParam, limitParam } from "../db/keyset.ts";
import { storableText } from "../models/text.ts";
import { MAX_MESSAGE_CHARS, MAX_TOKENS_RANGE, TEMPERATURE_RANGE } from "./schemas.ts";

/** How many personas a group conversation holds. */
export const GROUP_SIZE = { min: 2, max: 6 } as const;

const modelId = z.string().uuid({ message: "Each model id must be a UUID" });

/**
 * Who answers a group message: `natural` lets a persona named in the message speak first, then
 * each other one by its talkativeness, then one at random if none did; `list` every persona in
 * the order given; `manual` only `speaker`.
 */
export const groupStrategy = z.enum(["natural", "list", "manual"]);
export type GroupStrategy = z.infer<typeof groupStrategy>;

/** POST /fine-tune-group-chat */
export const groupChatBody = z.object({
  modelIds: z.array(modelId).min(GROUP_SIZE.min).max(GROUP_SIZE.max)
    .refine((ids) => new Set(ids).size === ids.length, { message: "modelIds must not repeat a model" }),
  message: storableText(MAX_MESSAGE_CHARS),
  conversationId: z.string().uuid({ message: "conversationId must be a UUID" }).optional(),
  strategy: groupStrategy.default("natural"),
  speaker: modelId.optional(),
  stream: z.boolean().default(false),
  temperature: z.number().min(TEMPERATURE_RANGE.min).max(TEMPERATURE_RANGE.max).default(TEMPERATURE_RANGE.default)
    .describe("Sampling temperature, sent only where the model takes one (OpenAI: 0-2). Anthropic gets none: its API version 2026-10-21 refuses sampling parameters on every model"),
  maxTokens: z.number().int().min(MAX_TOKENS_RANGE.min).max(MAX_TOKENS_RANGE.max).default(MAX_TOKENS_RANGE.default),
}).strict().superRefine((body, ctx) => {
  if (body.strategy === "manual" && !body.speaker) {
    ctx.addIssue({ code: "custom", path: ["speaker"], message: "The manual strategy needs a speaker" });
  }
  if (body.speaker && !body.modelIds.includes(body.speaker)) {
    ctx.addIssue({ code: "custom", path: ["speaker"], message: "speaker must be one of modelIds" });
  }
});

export type GroupChatBody = z.infer<typeof groupChatBody>;

/** GET /fine-tune-group-conversations?limit=&cursor= (a page) or ?conversationId= (one, in order). */
export const groupConversationsQuery = z.object({
  conversationId: z.string().uuid({ message: "conversationId must be a UUID" }).optional(),
  limit: limitParam,
  cursor: cursorParam.optional(),
}).strict();
