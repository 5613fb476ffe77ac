import { z } from "zod";
import { storableText } from "../models/text.ts";
import { MAX_MESSAGE_CHARS, MAX_TOKENS_RANGE, TEMPERATURE_RANGE } from "./schemas.ts";
import { chatRatingSchema } from "./rating-schemas.ts";
import { citationSchema } from "./responses.ts";

/** Longest hint a reader may give one regeneration (characters). */
export const MAX_HINT_CHARS = 300;

const temperature = z.number().min(TEMPERATURE_RANGE.min).max(TEMPERATURE_RANGE.max).default(TEMPERATURE_RANGE.default);
const maxTokens = z.number().int().min(MAX_TOKENS_RANGE.min).max(MAX_TOKENS_RANGE.max).default(MAX_TOKENS_RANGE.default);

/** POST /fine-tune-chat-alternatives/:chatId: another reply to the conversation's last exchange. */
export const newReplyBody = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("regenerate"),
    hint: storableText(MAX_HINT_CHARS).optional()
      .describe("An instruction for this reply only (\"shorter\", \"as if angry\"); never stored in the conversation"),
    temperature,
    maxTokens,
  }).strict(),
  z.object({
    action: z.literal("edit"),
    message: storableText(MAX_MESSAGE_CHARS).describe("The reader's message, rewritten; the exchange answers it anew"),
    temperature,
    maxTokens,
  }).strict(),
  z.object({
    action: z.literal("continue"),
    maxTokens,
  }).strict(),
]);

export type NewReplyBody = z.infer<typeof newReplyBody>;

/** PUT /fine-tune-chat-alternatives/:chatId */
export const chooseAlternativeBody = z.object({
  alternativeId: z.uuid({ message: "alternativeId must be a UUID" }),
}).strict();

const alternativeId = z.uuid().describe("PUT /fine-tune-chat-alternatives/:chatId chooses it");

/** 201 of POST: the new reply, stored and chosen. */
export const newReplyResponse = z.object({
  success: z.literal(true),
  chatId: z.uuid(),
  alternativeId,
  position: z.number().int().describe("Its place among the exchange's replies, from 1; also how many there are now"),
  conversationId: z.uuid(),
  messageOrder: z.number().int(),
  message: z.string().describe("The reader's message this reply answers"),
  response: z.string().describe("The exchange's reply now (for `continue`, the earlier text and its continuation)"),
  tokensUsed: z.number().int(),
  usingFallback: z.boolean(),
  citations: z.array(citationSchema),
}).meta({ id: "NewReply" });

/** One stored reply of an exchange. */
export const chatAlternativeSchema = z.object({
  alternativeId,
  position: z.number().int(),
  kind: z.enum(["original", "regenerate", "edit", "continue"]),
  hint: z.string().nullable(),
  message: z.string().describe("The reader's message it answered"),
  response: z.string(),
  chosen: z.boolean(),
  rating: chatRatingSchema.nullable(),
  usingFallback: z.boolean(),
  createdAt: z.iso.datetime(),
}).meta({ id: "ChatAlternative" });

/** 200 of GET. */
export const alternativeListResponse = z.object({
  success: z.literal(true),
  chatId: z.uuid(),
  alternatives: z.array(chatAlternativeSchema)
    .describe("In order; empty while the exchange has had only its first reply"),
}).meta({ id: "ChatAlternativeList" });

/** 200 of PUT: the exchange as it now reads. */
export const alternativeChosenResponse = z.object({
  success: z.literal(true),
  chatId: z.uuid(),
  alternativeId,
  message: z.string(),
  response: z.string(),
  rating: chatRatingSchema.nullable(),
}).meta({ id: "ChatAlternativeChosen" });

/** 200 of DELETE /fine-tune-chat-rewind/:chatId. */
export const rewoundResponse = z.object({
  success: z.literal(true),
  removed: z.number().int().describe("How many exchanges were deleted: the named one and every later one"),
}).meta({ id: "ConversationRewound" });
