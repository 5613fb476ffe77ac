import { z } from "zod";
import { PERSONA_LIMITS } from "../personas/types.ts";
import { commonOptions } from "./create-schemas.ts";
import { modelTypeSchema } from "./schemas.ts";
import { storableText } from "./text.ts";

/** Largest card PNG POST /fine-tune-card-import takes: the card is kilobytes, the rest its picture. */
export const MAX_CARD_PNG_BYTES = 8 * 1024 * 1024;

/** Largest body of POST /fine-tune-card-import: an 8 MiB PNG as base64 (a third larger, line breaks and all). */
export const MAX_CARD_BODY_BYTES = 12 * 1024 * 1024;

const cardString = z.string().default("");

/** A lorebook entry: what the persona knows when `keys` come up. */
const loreEntry = z.looseObject({
  keys: z.array(z.string()).default([]),
  content: cardString,
  enabled: z.boolean().default(true),
});

/** The `data` of a Character Card V2 or V3; fields Storyvoice does not use are allowed and ignored. */
export const cardDataSchema = z.looseObject({
  name: z.string({ message: "The card has no name" }).trim().min(1, { message: "The card has no name" })
    .max(PERSONA_LIMITS.name, { message: `The card's name must be at most ${PERSONA_LIMITS.name} characters` }),
  description: cardString,
  personality: cardString,
  scenario: cardString,
  first_mes: cardString,
  mes_example: cardString,
  creator_notes: cardString,
  system_prompt: cardString,
  post_history_instructions: cardString,
  alternate_greetings: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
  creator: cardString,
  character_version: cardString,
  character_book: z.looseObject({ entries: z.array(loreEntry).default([]) }).nullable().optional(),
  extensions: z.record(z.string(), z.unknown()).default({}),
});

const V1_FIELDS = ["name", "description", "personality", "scenario", "first_mes", "mes_example"] as const;

/** A V1 card (no `spec`, its fields at the top) as the V2 card it becomes, as SillyTavern reads it. */
function asV2(card: unknown): unknown {
  if (typeof card !== "object" || card === null || Array.isArray(card) || "spec" in card || "data" in card) return card;
  const v1 = card as Record<string, unknown>;
  if (typeof v1.name !== "string") return card;
  const data = Object.fromEntries(V1_FIELDS.filter((field) => typeof v1[field] === "string").map((field) => [field, v1[field]]));
  return { spec: "chara_card_v2", spec_version: "2.0", data };
}

/** A Character Card V2 (`chara_card_v2`) or V3 (`chara_card_v3`); a V1 card is read as V2. */
export const characterCardSchema = z.preprocess(asV2, z.looseObject({
  spec: z.enum(["chara_card_v2", "chara_card_v3"], {
    message: 'spec must be "chara_card_v2" or "chara_card_v3" (or no spec, a V1 card with a top-level name)',
  }),
  spec_version: z.string().optional(),
  data: z.unknown().refine((data) => typeof data === "object" && data !== null && !Array.isArray(data), {
    message: "The card has no data object",
  }).pipe(cardDataSchema),
}));
export type CharacterCard = z.output<typeof characterCardSchema>;

/** What Storyvoice keeps in a card's `extensions.storyvoice`, so an exported card imports the same. */
export const storyvoiceCardExtension = z.object({
  type: modelTypeSchema,
  bookId: storableText(200),
  bookInfo: z.object({
    title: storableText(PERSONA_LIMITS.bookTitle),
    author: storableText(PERSONA_LIMITS.name).optional(),
    description: storableText(PERSONA_LIMITS.description).optional(),
    genre: storableText(PERSONA_LIMITS.genre).optional(),
  }),
});

/** POST /fine-tune-card-import */
export const importCardBody = z.object({
  card: z.record(z.string(), z.unknown()).optional().describe("A Character Card V1, V2 or V3, as its JSON"),
  png: z.string().max(MAX_CARD_BODY_BYTES).optional().describe(
    "A PNG card (up to 8 MiB), base64: its `ccv3` (V3) or `chara` (V2) tEXt chunk holds the card as base64 JSON",
  ),
  type: modelTypeSchema.optional().describe("Default: the card's Storyvoice type, else character"),
  bookId: storableText(200).optional().describe("Default: the card's Storyvoice book, else one named after the card"),
  bookInfo: z.object({
    title: storableText(PERSONA_LIMITS.bookTitle),
    author: storableText(PERSONA_LIMITS.name).optional(),
    description: storableText(PERSONA_LIMITS.description).optional(),
    genre: storableText(PERSONA_LIMITS.genre).optional(),
  }).strict().optional(),
  quick: z.boolean().default(false).describe("A quick fine-tune (fewer examples and epochs) instead of a full one"),
  preview: z.boolean().default(false).describe(
    "true: read the card and answer 200 with what it would create (its default book included); nothing is written",
  ),
  isPublic: commonOptions.isPublic,
  baseModel: commonOptions.baseModel,
  voice: commonOptions.voice,
}).strict().refine((body) => (body.card === undefined) !== (body.png === undefined), {
  message: "Send either card (JSON) or png (base64)",
  path: ["card"],
});

/** The book a card's persona joins: an id and the book's own fields. */
const cardBookSchema = z.object({
  bookId: z.string(),
  bookInfo: z.object({
    title: z.string(),
    author: z.string().optional(),
    description: z.string().optional(),
    genre: z.string().optional(),
  }),
});

/** 200 of POST /fine-tune-card-import with `preview: true`: what the card would create. */
export const cardPreviewResponse = z.object({
  success: z.literal(true),
  preview: z.object({
    name: z.string(),
    type: modelTypeSchema,
    greeting: z.string().nullable().describe("first_mes, `{{char}}`/`{{user}}` resolved"),
    alternateGreetings: z.array(z.string()),
    description: z.string().describe("As the persona's description would read"),
    book: cardBookSchema.describe("The request's book, else the card's own Storyvoice book, else one named after the card"),
    examples: z.number().int().describe("How many mes_example conversations become the persona's own examples"),
    picture: z.boolean().describe("The request is a PNG: its picture becomes the persona's avatar"),
  }),
}).meta({ id: "CardPreview" });

/** GET /fine-tune-card/:modelId */
export const exportCardQuery = z.object({
  format: z.enum(["json", "png", "picture"]).default("json").describe(
    "`picture`: only the picture the card was imported with (the persona's avatar), a 404 when it had none",
  ),
}).strict();

/** The exported card: Character Card V3. */
export const exportedCardSchema = z.object({
  spec: z.literal("chara_card_v3"),
  spec_version: z.literal("3.0"),
  data: z.object({
    name: z.string(),
    description: z.string(),
    personality: z.string(),
    scenario: z.string(),
    first_mes: z.string(),
    mes_example: z.string().describe("The owner's own and chat examples (empty for anyone else)"),
    creator_notes: z.string(),
    system_prompt: z.string(),
    post_history_instructions: z.string(),
    alternate_greetings: z.array(z.string()).describe("The persona's other first messages"),
    group_only_greetings: z.array(z.string()),
    tags: z.array(z.string()),
    creator: z.string(),
    character_version: z.string(),
    character_book: z.object({
      entries: z.array(z.object({ keys: z.array(z.string()), content: z.string(), enabled: z.boolean() })),
      extensions: z.record(z.string(), z.unknown()),
    }).optional().describe("The lore an imported card had, when it is still in the persona's description"),
    extensions: z.object({ storyvoice: storyvoiceCardExtension.extend({ modelId: z.string() }) }).loose(),
  }),
}).meta({ id: "CharacterCardV3" });

export const cardDownload = {
  description: "The persona as a Character Card V3: JSON, or a PNG (the picture the card was imported with, " +
    "else a transparent 1x1 pixel) with the card in its `ccv3` " +
    "(and, for V2 readers, `chara`, its creator_notes opening with the V3 spec's backfill note) tEXt chunk",
  alternatives: { "application/json": exportedCardSchema, "image/png": null },
} as const;
