import { z } from "zod";
import { chatRatingSchema } from "./rating-schemas.ts";
import { errorBody } from "../errors.ts";
import { memoryUsedSchema } from "./memory-schemas.ts";

/** A passage of the persona's book put in the prompt: always one the reader has reached. */
export const citationSchema = z.object({
  chapter: z.number().int(),
  passageId: z.number().int().describe("GET /fine-tune-book/:bookId?chapter= lists it by this id"),
  excerpt: z.string().describe("The passage's opening, up to 200 characters"),
}).meta({ id: "Citation" });

const citations = z.array(citationSchema)
  .describe("The book passages the answer could draw on, best first; empty when the persona's book has no text or the reader no place");

const memoriesUsed = z.array(memoryUsedSchema)
  .describe("The reader's pinned memories of this persona the prompt was given (id and text), most recently written first, as many as MEMORY_PROMPT_TOKEN_BUDGET holds; empty when none");
const readerPersonaId = z.uuid().nullable()
  .describe("Who the reader was in this turn (chosen for the conversation, else their default); null when nobody");

const chatId = z.uuid().describe("The stored exchange's id: PUT /fine-tune-chat-rating/:chatId rates it, POST /fine-tune-speech reads it aloud");

/** 200 of POST /fine-tune-chat/:modelId as JSON: the exchange, already stored. */
export const chatReplyResponse = z.object({
  success: z.literal(true),
  response: z.string().describe("The model's answer"),
  conversationId: z.uuid(),
  tokensUsed: z.number().int(),
  usingFallback: z.boolean().describe("True when the persona fallback answered, not the fine-tune"),
  chatId,
  messageOrder: z.number().int().describe("Position of this exchange in the conversation, from 1"),
  citations,
  memoriesUsed,
  readerPersonaId,
}).meta({ id: "ChatReply" });

/** Data of an `event: delta` of the chat stream: the next piece of the answer. */
export const chatDeltaEvent = z.object({
  text: z.string(),
}).meta({ id: "ChatDeltaEvent" });

/** Data of the `event: done` that ends a streamed answer, sent once the exchange is stored. */
export const chatDoneEvent = z.object({
  conversationId: z.uuid(),
  tokensUsed: z.number().int(),
  usingFallback: z.boolean(),
  chatId,
  messageOrder: z.number().int(),
  citations,
  memoriesUsed,
  readerPersonaId,
}).meta({ id: "ChatDoneEvent" });

/** Data of an `event: error` that ends a stream which failed after it began; nothing was stored. */
export const chatErrorEvent = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
}).meta({ id: "ChatErrorEvent" });

/** The events of a streamed chat answer, by name. */
export const chatStreamEvents = {
  delta: chatDeltaEvent,
  done: chatDoneEvent,
  error: chatErrorEvent,
} as const;

/** 429 of chat: the daily quota is spent until `resetAt` (also given as `Retry-After`). */
export const quotaExceededError = errorBody.extend({
  resetAt: z.iso.datetime().describe("When the quota resets (UTC midnight)"),
}).meta({ id: "QuotaExceededError" });

/** 200 of GET /fine-tune-conversations/:modelId. */
export const conversationListResponse = z.object({
  success: z.literal(true),
  conversations: z.array(z.object({
    conversationId: z.uuid(),
    startedAt: z.iso.datetime(),
    opening: z.string().nullable()
      .describe("The persona's first words kept for this conversation (an imported greeting, or the greeting it began with); null: the persona's current greeting stands"),
    title: z.string().nullable().describe("The caller's name for it (PUT /fine-tune-conversations/:modelId), else null"),
    messages: z.array(z.object({
      chatId: z.uuid().describe("The exchange's id: PUT /fine-tune-chat-rating/:chatId rates it"),
      user: z.string(),
      assistant: z.string(),
      timestamp: z.iso.datetime(),
      rating: chatRatingSchema.nullable().describe("The caller's rating of the reply"),
      usingFallback: z.boolean().describe("True when the persona fallback answered, not the fine-tune (as stored with the reply)"),
    }).meta({ id: "ChatExchange" })).describe("In order, first exchange first"),
  }).meta({ id: "Conversation" })).describe("The caller's own conversations, newest first"),
  nextCursor: z.string().nullable(),
}).meta({ id: "ConversationList" });

/** 200 of PUT /fine-tune-conversations/:modelId: the conversation's name as stored. */
export const conversationTitleResponse = z.object({
  success: z.literal(true),
  conversationId: z.uuid(),
  title: z.string(),
}).meta({ id: "ConversationTitle" });
