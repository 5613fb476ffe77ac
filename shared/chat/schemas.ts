import { z } from "zod";
import { cursorParam, limitParam } from "../db/keyset.ts";
import { readingPositionSchema } from "../books/schemas.ts";
import { storableText } from "../models/text.ts";

/** Longest message a user may send (characters); the column allows more for safety. */
export const MAX_MESSAGE_CHARS = 4000;
/** Bounds of the per-request "advanced customization". */
export const TEMPERATURE_RANGE = { min: 0, max: 2, default: 0.8 } as const;
export const MAX_TOKENS_RANGE = { min: 16, max: 2000, default: 600 } as const;

/** POST /fine-tune-chat/:modelId */
export const chatBody = z.object({
  message: storableText(MAX_MESSAGE_CHARS),
  conversationId: z.string().uuid({ message: "conversationId must be a UUID" }).optional(),
  stream: z.boolean().default(false),
  temperature: z.number().min(TEMPERATURE_RANGE.min).max(TEMPERATURE_RANGE.max).default(TEMPERATURE_RANGE.default)
    .describe("Sampling temperature, sent only where the model takes one (OpenAI: 0-2). Anthropic gets none: its API version 2026-10-21 refuses sampling parameters on every model"),
  maxTokens: z.number().int().min(MAX_TOKENS_RANGE.min).max(MAX_TOKENS_RANGE.max).default(MAX_TOKENS_RANGE.default),
  readingPosition: readingPositionSchema.optional()
    .describe("Where the reader is, for this message only (else their stored reading progress)"),
  readerPersonaId: z.string().uuid({ message: "readerPersonaId must be a UUID" }).nullable().optional()
    .describe("Who the reader is in this conversation from now on (one of theirs, GET /fine-tune-reader-personas); null goes back to their default; absent keeps the conversation's choice"),
}).strict();

export type ChatBody = z.infer<typeof chatBody>;

/** GET /fine-tune-conversations/:modelId?limit=&cursor= */
export const conversationsQuery = z.object({
  limit: limitParam,
  cursor: cursorParam.optional(),
}).strict();

/** Longest name a reader may give a conversation (characters). */
export const MAX_CONVERSATION_TITLE_CHARS = 120;

/** PUT /fine-tune-conversations/:modelId: names one of the caller's conversations with the model. */
export const conversationTitleBody = z.object({
  conversationId: z.uuid(),
  title: z.string().trim().min(1, "Give the conversation a name")
    .max(MAX_CONVERSATION_TITLE_CHARS, `At most ${MAX_CONVERSATION_TITLE_CHARS} characters`),
}).strict();
