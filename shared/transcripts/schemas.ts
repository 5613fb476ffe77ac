import { z } from "zod";
import { transcriptLine } from "./lines.ts";

/** Path of GET /fine-tune-transcript/:conversationId (left off to export by model). */
export const transcriptParams = z.object({
  conversationId: z.uuid({ message: "conversationId must be a UUID" }).optional(),
});

/** Query of GET /fine-tune-transcript: the format, and the model when no conversation is named. */
export const transcriptQuery = z.object({
  format: z.enum(["jsonl", "txt", "md"]).default("jsonl"),
  modelId: z.uuid({ message: "modelId must be a UUID" }).optional(),
}).strict();

/** The largest transcript one import takes (its JSON body): about 2,000 long exchanges. */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

/** Body of POST /fine-tune-transcript. */
export const importTranscriptBody = z.object({
  modelId: z.uuid({ message: "modelId must be a UUID" }),
  transcript: z.string().min(1).describe("JSON lines: an optional header line, then the messages in order (a chat SillyTavern saved, or an export)"),
}).strict();

/** 201 of POST /fine-tune-transcript. */
export const importedTranscriptResponse = z.object({
  success: z.literal(true),
  conversationId: z.uuid(),
  modelId: z.uuid(),
  exchanges: z.number().int().describe("Exchanges stored (a reader's message and the persona's reply each)"),
  opening: z.boolean().describe("The persona's lines before the reader's first message (a SillyTavern greeting) were kept as the conversation's opening"),
  skipped: z.object({
    system: z.number().int().describe("Narrator/system lines (`is_system: true` or `extra.type: \"narrator\"`): not stored"),
    empty: z.number().int().describe("Messages without text (image-only): not stored"),
    swipes: z.number().int().describe("Alternative replies (`swipes`) besides the chosen one (`swipe_id`): not stored"),
  }).describe("Lines read but not stored, by kind"),
}).meta({ id: "ImportedTranscript" });

/** 200 of GET /fine-tune-transcript: JSON lines, a zip of them, plain text or Markdown. */
export const transcriptDownload = {
  description: "The transcript, streamed, by `format`: JSON lines (one chat, as SillyTavern saves it: the header " +
    "line, then its messages), plain text or Markdown. Exported by `modelId` as JSON lines, it is a zip holding " +
    "one `.jsonl` per conversation, since a chat file has one header.",
  alternatives: {
    "application/x-ndjson": transcriptLine,
    "application/zip": null,
    "text/plain": null,
    "text/markdown": null,
  },
} as const;
