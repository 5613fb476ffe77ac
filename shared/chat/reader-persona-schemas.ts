import { z } from "zod";
import { storableText } from "../models/text.ts";

/** Bounds of a reader persona; fixed, as the table's checks are. */
export const READER_PERSONA_NAME_MAX = 80;
export const READER_PERSONA_DESCRIPTION_MAX = 1000;
/** Personas one reader may keep. */
export const READER_PERSONAS_PER_READER = 20;

const description = z.string().trim().max(READER_PERSONA_DESCRIPTION_MAX)
  .describe("A short description the persona is given (\"you are talking with ...\")");
const playsModelId = z.string().uuid({ message: "playsModelId must be a UUID" }).nullable()
  .describe("A persona (model) the reader plays: chats with personas of the same book answer them as that character");

export const readerPersonaParams = z.object({
  personaId: z.string().uuid({ message: "personaId must be a UUID" }),
});

/** POST /fine-tune-reader-personas */
export const createReaderPersonaBody = z.object({
  name: storableText(READER_PERSONA_NAME_MAX),
  description: description.default(""),
  playsModelId: playsModelId.optional(),
  isDefault: z.boolean().default(false).describe("Answers for the reader in every conversation that chose no other"),
}).strict();
export type CreateReaderPersonaBody = z.infer<typeof createReaderPersonaBody>;

/** PATCH /fine-tune-reader-personas/:personaId: the fields to change. */
export const editReaderPersonaBody = z.object({
  name: storableText(READER_PERSONA_NAME_MAX).optional(),
  description: description.optional(),
  playsModelId: playsModelId.optional(),
  isDefault: z.boolean().optional(),
}).strict();
export type EditReaderPersonaBody = z.infer<typeof editReaderPersonaBody>;

export const readerPersonaSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  playsModelId: z.uuid().nullable(),
  plays: z.object({ entityName: z.string(), bookId: z.string().nullable() }).nullable()
    .describe("The played character as the reader may see it (null when none, or no longer visible)"),
  isDefault: z.boolean(),
  createdAt: z.iso.datetime(),
}).meta({ id: "ReaderPersona" });
export type ReaderPersona = z.infer<typeof readerPersonaSchema>;

export const readerPersonaListResponse = z.object({
  success: z.literal(true),
  personas: z.array(readerPersonaSchema).describe("Oldest first"),
}).meta({ id: "ReaderPersonaList" });
export const readerPersonaResponse = z.object({ success: z.literal(true), persona: readerPersonaSchema })
  .meta({ id: "ReaderPersonaStored" });
export const readerPersonaDeletedResponse = z.object({ success: z.literal(true), message: z.string() })
  .meta({ id: "ReaderPersonaDeleted" });
