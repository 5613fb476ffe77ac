import { z } from "zod";
import { storableText } from "../models/text.ts";

/**
 * Hard cap of a memory's text in a request; the deployment's MEMORY_MAX_CHARS (at most this) is
 * checked after parsing, so a longer text answers 422 on `text` naming the setting's limit.
 */
export const MEMORY_TEXT_CAP = 4000;

export const memoryParams = z.object({
  modelId: z.string().uuid({ message: "modelId must be a UUID" }),
  memoryId: z.string().uuid({ message: "memoryId must be a UUID" }),
});

/** POST /fine-tune-memories/:modelId: a memory typed by hand, or pinned from one of the reader's replies. */
export const pinMemoryBody = z.object({
  text: storableText(MEMORY_TEXT_CAP).optional()
    .describe("What the persona should remember; with `chatId` and no text, the reply itself (cut to MEMORY_MAX_CHARS at a word, with …)"),
  chatId: z.string().uuid({ message: "chatId must be a UUID" }).optional()
    .describe("The exchange (one of the caller's, with this persona) whose reply is pinned"),
}).strict().refine((body) => body.text !== undefined || body.chatId !== undefined, {
  message: "Send text, chatId or both",
  path: ["text"],
});
export type PinMemoryBody = z.infer<typeof pinMemoryBody>;

/** PATCH /fine-tune-memories/:modelId/:memoryId */
export const editMemoryBody = z.object({ text: storableText(MEMORY_TEXT_CAP) }).strict();

export const memorySchema = z.object({
  id: z.uuid(),
  modelId: z.uuid(),
  text: z.string(),
  sourceChatId: z.uuid().nullable().describe("The exchange it was pinned from, while it exists"),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
}).meta({ id: "Memory" });
export type Memory = z.infer<typeof memorySchema>;

/** The bounds in force, so a client can say them before the server refuses. */
export const memoryLimitsSchema = z.object({
  maxChars: z.number().int().describe("MEMORY_MAX_CHARS"),
  maxPerPersona: z.number().int().describe("MEMORIES_PER_PERSONA"),
  promptTokenBudget: z.number().int().describe("MEMORY_PROMPT_TOKEN_BUDGET: the most recently written memories that fit go in each turn's prompt"),
}).meta({ id: "MemoryLimits" });

export const memoryListResponse = z.object({
  success: z.literal(true),
  memories: z.array(memorySchema).describe("Most recently written first: the order the prompt takes them in"),
  limits: memoryLimitsSchema,
}).meta({ id: "MemoryList" });

export const memoryResponse = z.object({ success: z.literal(true), memory: memorySchema }).meta({ id: "MemoryStored" });
export const memoryDeletedResponse = z.object({ success: z.literal(true), message: z.string() }).meta({ id: "MemoryDeleted" });

/** A memory a chat turn was given, as the reply reports it. */
export const memoryUsedSchema = z.object({ id: z.uuid(), text: z.string() }).meta({ id: "MemoryUsed" });
