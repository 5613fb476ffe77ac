import { z } from "zod";
import { storableText } from "../models/text.ts";

/**
 * A transcript as JSON lines, in the chat format SillyTavern and tools like it read and write: a
 * header line (`user_name`, `character_name`, `create_date`, `chat_metadata`), then one line per
 * message (`name`, `is_user`, `send_date`, `mes`). What this API adds rides in `chat_metadata` and
 * `extra`, which such tools keep and ignore.
 */

/** At most this many characters of one message: the longest a stored exchange holds. */
export const MAX_MESSAGE_CHARS = 8000;

export const transcriptParticipant = z.object({
  modelId: z.uuid().nullable().describe("Null once the persona was deleted"),
  name: z.string(),
});

export const transcriptHeaderLine = z.object({
  user_name: z.string(),
  character_name: z.string().describe("The persona, or the personas of a group joined with ', '"),
  create_date: z.string().describe("When the conversation started (ISO 8601)"),
  chat_metadata: z.object({
    storyvoice: z.object({
      conversationId: z.uuid(),
      kind: z.enum(["one-to-one", "group"]),
      participants: z.array(transcriptParticipant),
    }),
  }),
}).meta({ id: "TranscriptHeaderLine" });

export const transcriptMessageLine = z.object({
  name: z.string().min(1).max(200),
  is_user: z.boolean(),
  send_date: z.string().optional().describe("When it was said (ISO 8601)"),
  // Stored as an exchange when imported: text Postgres can hold.
  mes: storableText(MAX_MESSAGE_CHARS),
  extra: z.object({
    model_id: z.uuid().nullable().optional(),
    used_fallback: z.boolean().nullable().optional(),
  }).optional(),
}).meta({ id: "TranscriptMessageLine" });

/**
 * A message line as SillyTavern writes it, read leniently: `mes` may be empty (an image-only
 * message), `is_system` or `extra.type: "narrator"` marks a narrator line, `swipes`/`swipe_id`
 * hold the alternatives and the chosen one; other fields (`force_avatar`, `gen_started`...) are dropped.
 */
export const importedMessageLine = z.object({
  name: z.string().max(200),
  is_user: z.boolean(),
  is_system: z.boolean().optional(),
  mes: z.string(),
  swipes: z.array(z.string()).optional(),
  swipe_id: z.number().int().nonnegative().optional(),
  // Only `type` is read: "narrator" marks SillyTavern's narrator lines, shown to the model or not.
  extra: z.object({ type: z.unknown().optional() }).nullish(),
});

export type ImportedMessage = z.infer<typeof importedMessageLine>;

/** A header line is known by its fields (SillyTavern's own test is `user_name` or `name`), never by a message's. */
export function isHeaderLine(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value) || "mes" in value) return false;
  return "user_name" in value || "character_name" in value || "chat_metadata" in value || "create_date" in value;
}

/** Any line of an exported transcript. */
export const transcriptLine = z.union([transcriptHeaderLine, transcriptMessageLine]).meta({ id: "TranscriptLine" });

export type TranscriptHeader = z.infer<typeof transcriptHeaderLine>;
export type TranscriptMessage = z.infer<typeof transcriptMessageLine>;

/** The reader's name in exported transcripts. */
export const READER_NAME = "You";
