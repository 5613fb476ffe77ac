import { z } from "zod";
import { trainingProvider } from "../providers/registry.ts";
import { isSpeechVoice } from "../providers/speech.ts";
import { PERSONA_LIMITS } from "../personas/types.ts";
import { storableText } from "./text.ts";
import { exampleMessages } from "./example-schemas.ts";

const text = storableText;
const bookId = text(200);
// The seed stores entity ids as uuids: anything else is a 422 that names the field.
const entityId = z.string().trim().uuid({ message: "entityId must be a UUID" });

/** Most user-written examples one create may carry: a full plan's worth. */
export const MAX_CREATION_EXAMPLES = 30;
/** Largest body of a create that carries examples. */
export const MAX_CREATE_BODY_BYTES = 256 * 1024;

/** A conversation the reader wrote, checked like one added to POST /fine-tune-examples. */
const creationExample = z.object({
  topic: storableText(200).nullable().optional(),
  messages: exampleMessages,
}).strict().meta({ id: "CreationExample" });

/** Options every create endpoint accepts. */
export const commonOptions = {
  isPublic: z.boolean().default(false),
  /** Must be one the configured training provider allows (e.g. ALLOWED_BASE_MODELS); defaults to its default. */
  baseModel: z.string().trim().max(100).refine((model) => trainingProvider().baseModels().allowed.includes(model), {
    message: "Not an allowed base model",
  }).optional(),
  voice: z.string().trim().max(64).refine((voice) => isSpeechVoice(voice), {
    message: "Not one of the voices of GET /fine-tune-speech",
  }).optional().describe("The voice replies are read aloud in (GET /fine-tune-speech lists them); default: the deployment's"),
  examples: z.array(creationExample).max(MAX_CREATION_EXAMPLES).optional().describe(
    "Conversations in the persona's voice, kept as training examples (source `user`) and topped up by " +
      "generated ones to the plan's count",
  ),
};

/** POST /fine-tune-author */
export const createAuthorBody = z.object({
  authorName: text(PERSONA_LIMITS.name),
  bookId,
  bookInfo: z.object({
    title: text(PERSONA_LIMITS.bookTitle),
    description: text(PERSONA_LIMITS.description).optional(),
    genre: text(PERSONA_LIMITS.genre).optional(),
  }).strict(),
  ...commonOptions,
}).strict();

/** POST /fine-tune-character */
export const createCharacterBody = z.object({
  characterName: text(PERSONA_LIMITS.name),
  characterDescription: text(PERSONA_LIMITS.description),
  bookId,
  bookInfo: z.object({
    title: text(PERSONA_LIMITS.bookTitle),
    author: text(PERSONA_LIMITS.name),
    description: text(PERSONA_LIMITS.description).optional(),
    genre: text(PERSONA_LIMITS.genre).optional(),
  }).strict(),
  entityId: entityId.optional(),
  ...commonOptions,
}).strict();

/** POST /fine-tune-quick */
export const createQuickBody = z.object({
  type: z.enum(["author", "character"]),
  entityName: text(PERSONA_LIMITS.name),
  description: text(PERSONA_LIMITS.description),
  bookInfo: z.object({
    title: text(PERSONA_LIMITS.bookTitle),
    author: text(PERSONA_LIMITS.name),
    description: text(PERSONA_LIMITS.description),
    genre: text(PERSONA_LIMITS.genre).optional(),
  }).strict(),
  bookId,
  entityId: entityId.optional(),
  ...commonOptions,
}).strict();

/** What every create endpoint reduces its body to: the columns of the new row. */
export interface NewModel {
  type: "author" | "character";
  name: string;
  entityName: string;
  entityId: string | null;
  bookId: string;
  bookInfo: { title: string; author?: string; description?: string; genre?: string };
  description: string | null;
  isPublic: boolean;
  quickTune: boolean;
  baseModel: string;
  /** The reader's own examples, stored with the row (source `user`), first in the training file. */
  examples?: readonly { topic?: string | null; messages: readonly { role: "user" | "assistant"; content: string }[] }[];
  /** The persona's first message as the reader wrote it (else one is written with the style guide). */
  greeting?: string | null;
  /** Other first messages (a card's alternate_greetings). */
  alternateGreetings?: readonly string[];
  /** The voice replies are read aloud in; unset: the default voice. */
  voice?: string | null;
}
