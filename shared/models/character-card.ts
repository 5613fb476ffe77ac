import { validationFailed } from "../errors.ts";
import { PERSONA_LIMITS } from "../personas/types.ts";
import { base64PngBytes, base64ToUtf8, buildPngWithText, pictureWithText, PngError, readPngTextChunks, utf8ToBase64 } from "./card-png.ts";
import { type CharacterCard, characterCardSchema, storyvoiceCardExtension } from "./card-schemas.ts";
import { MAX_CREATION_EXAMPLES, type NewModel } from "./create-schemas.ts";
import { exampleMessages, MAX_TURN_CHARACTERS } from "./example-schemas.ts";
import { truncateText } from "./text.ts";

/**
 * Character Cards (V1, V2 and V3, as SillyTavern and its peers trade them) to and from Storyvoice
 * personas: a card becomes a new model's columns and user examples; a model becomes a V3 card.
 */

/** Most characters of lore (the card's character_book) kept in the description. */
export const MAX_LORE_CHARACTERS = 1500;
const MAX_GREETING_CHARACTERS = 4000;
/** Most alternate greetings kept (the column's limit). */
export const MAX_ALTERNATE_GREETINGS = 20;

type Message = { role: "user" | "assistant"; content: string };
type CardExample = { topic: string | null; messages: Message[] };

const fail = (path: (string | number)[], message: string): never => {
  throw validationFailed([{ path, message }]);
};

/** The card of a request: its JSON as sent, or the JSON in a PNG's `ccv3` (else `chara`) chunk. */
export function readCard(body: { card?: Record<string, unknown>; png?: string }): CharacterCard {
  let json: unknown = body.card;
  let path: (string | number)[] = ["card"];
  if (body.png !== undefined) {
    path = ["png"];
    try {
      const texts = readPngTextChunks(base64PngBytes(body.png));
      const chunk = texts.get("ccv3") ?? texts.get("chara");
      if (chunk === undefined) fail(path, "The PNG has no ccv3 or chara tEXt chunk: it holds no card");
      json = JSON.parse(base64ToUtf8(chunk!));
    } catch (error) {
      if (error instanceof PngError) fail(path, `Bad PNG: ${error.message}`);
      if (error instanceof SyntaxError) fail(path, "The PNG's card chunk is not base64 JSON");
      throw error;
    }
  }
  const parsed = characterCardSchema.safeParse(json);
  if (!parsed.success) {
    throw validationFailed(parsed.error.issues.map((issue) => ({
      path: [...path, ...issue.path.filter((part): part is string | number => typeof part !== "symbol")],
      message: issue.message,
    })));
  }
  return parsed.data;
}

// NUL and lone surrogates (a PNG card's JSON may escape them) are nothing a persona can store.
const clean = (text: string) => text.replaceAll("\u0000", "").toWellFormed().replace(/\r\n?/g, "\n").trim();

/** `{{char}}` / `<BOT>` become the persona's name, `{{user}}` / `<USER>` the reader. */
function resolveMacros(text: string, name: string, user = "the reader"): string {
  return clean(text).replace(/\{\{char\}\}|<bot>/gi, name).replace(/\{\{user\}\}|<user>/gi, user);
}

function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${truncateText(text, max - 1).trimEnd()}…`;
}

/** The card's lore entries, enabled ones only, as lines up to `budget` characters (whole entries). */
function loreOf(card: CharacterCard, name: string, budget: number): string {
  const entries = (card.data.character_book?.entries ?? []).filter((entry) => entry.enabled && clean(entry.content));
  if (entries.length === 0 || budget < 40) return "";
  const lines: string[] = [];
  let used = "Lore:".length;
  for (const entry of entries) {
    const keys = entry.keys.map(clean).filter(Boolean).join(", ");
    const line = `- ${keys ? `${keys}: ` : ""}${resolveMacros(entry.content, name)}`.replace(/\n+/g, " ");
    const room = Math.min(budget, MAX_LORE_CHARACTERS) - used - 1;
    if (room <= 0) break;
    lines.push(bounded(line, room));
    used += Math.min(line.length, room) + 1;
  }
  return ["Lore:", ...lines].join("\n");
}

/** description, personality and scenario (labelled), then the lore, within the persona's limit. */
function descriptionOf(card: CharacterCard, name: string): string {
  const { description, personality, scenario } = card.data;
  const parts = [
    resolveMacros(description, name),
    clean(personality) && `Personality: ${resolveMacros(personality, name)}`,
    clean(scenario) && `Scenario: ${resolveMacros(scenario, name)}`,
  ].filter(Boolean);
  const main = bounded(parts.join("\n\n"), PERSONA_LIMITS.description);
  const lore = loreOf(card, name, PERSONA_LIMITS.description - main.length - 2);
  return [main, lore].filter(Boolean).join("\n\n") || `${name}, from a Character Card.`;
}

/**
 * `mes_example` as conversations: blocks split on `<START>`, lines starting `{{user}}:` or
 * `{{char}}:` (or the name) open a user or assistant turn, other lines continue the last turn.
 * Blocks without both a user and an assistant turn, or breaking an example's limits, are left out.
 */
export function examplesFromMesExample(mesExample: string, name: string): CardExample[] {
  const examples: CardExample[] = [];
  const speaker = /^\s*(\{\{user\}\}|<user>|\{\{char\}\}|<bot>)\s*:\s?/i;
  for (const block of clean(mesExample).split(/<start>/i)) {
    const messages: Message[] = [];
    for (const line of block.split("\n")) {
      const match = speaker.exec(line);
      if (match) {
        const role = /user/i.test(match[1]) ? "user" : "assistant";
        messages.push({ role, content: line.slice(match[0].length) });
      } else if (messages.length > 0) {
        messages[messages.length - 1].content += `\n${line}`;
      }
    }
    const resolved = messages
      .map((message) => ({ role: message.role, content: bounded(resolveMacros(message.content, name, "you"), MAX_TURN_CHARACTERS) }))
      .filter((message) => message.content.length > 0);
    if (exampleMessages.safeParse(resolved).success) examples.push({ topic: null, messages: resolved });
    if (examples.length === MAX_CREATION_EXAMPLES) break;
  }
  return examples;
}

/**
 * A book id from the card's name: its letters and digits in any script, lower-cased, dashes
 * between words, so two personas named in Japanese or Russian get two books, not one shared id.
 */
export function cardBookId(name: string): string {
  // Accents come off Latin letters only (as ids always did: "Zoë" is card-zoe); other scripts keep theirs.
  const slug = name.normalize("NFKD").replace(/(\p{Script=Latin})\p{M}+/gu, "$1").normalize("NFC").toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
  // Names of symbols only (emoji, punctuation) keep a stable id from their characters' code points.
  const id = slug || [...name].map((c) => c.codePointAt(0)!.toString(36)).join("-");
  return `card-${[...id].slice(0, 60).join("").replace(/-+$/, "")}`;
}

/** What the V3 spec asks a V2 copy of a V3 card to say in its creator_notes (and an import to trim). */
export const BACKFILL_NOTE = "This character card is Character Card V3, but it is loaded as a Character Card V2. " +
  "Please use a Character Card V3 compatible application to use this character card properly.";

const withoutBackfillNote = (notes: string) => notes.replace(BACKFILL_NOTE, "").trim();

/** Most tags a card keeps, and most characters of each. */
const MAX_TAGS = 50;
const MAX_TAG_CHARACTERS = 100;

/**
 * The card's fields the persona's columns have no place for, kept in `book_info.card` (as
 * resolved for the persona), so an export gives them back apart. `lore`: the description ends
 * with the card's lore.
 */
export interface CardParts {
  personality: string;
  scenario: string;
  creator: string;
  creatorNotes: string;
  tags: string[];
  lore: boolean;
}

function cardPartsOf(card: CharacterCard, name: string): CardParts {
  const { data } = card;
  return {
    personality: bounded(resolveMacros(data.personality, name), PERSONA_LIMITS.description),
    scenario: bounded(resolveMacros(data.scenario, name), PERSONA_LIMITS.description),
    creator: bounded(clean(data.creator), PERSONA_LIMITS.name),
    creatorNotes: bounded(resolveMacros(withoutBackfillNote(data.creator_notes), name), PERSONA_LIMITS.description),
    tags: data.tags.map(clean).filter(Boolean).slice(0, MAX_TAGS).map((tag) => bounded(tag, MAX_TAG_CHARACTERS)),
    lore: /(^|\n\n)Lore:\n/.test(descriptionOf(card, name)),
  };
}

/** What a card creates: the new model's columns, its greeting and its user examples. */
export function modelFromCard(card: CharacterCard, options: {
  type?: "author" | "character";
  bookId?: string;
  bookInfo?: NewModel["bookInfo"];
  quick: boolean;
  isPublic: boolean;
  baseModel: string;
  voice?: string;
}): NewModel {
  const { data } = card;
  const name = clean(data.name);
  const ours = storyvoiceCardExtension.safeParse(data.extensions.storyvoice);
  const saved = ours.success ? ours.data : undefined;
  const book: NewModel["bookInfo"] & { card?: CardParts } = { ...(options.bookInfo ?? saved?.bookInfo ?? { title: bounded(`${name}'s story`, PERSONA_LIMITS.bookTitle) }) };
  book.author ??= clean(data.creator) ? bounded(clean(data.creator), PERSONA_LIMITS.name) : undefined;
  if (!book.author) delete book.author;
  const creatorNotes = withoutBackfillNote(data.creator_notes);
  if (!book.description && clean(creatorNotes)) {
    book.description = bounded(resolveMacros(creatorNotes, name), PERSONA_LIMITS.description);
  }
  const tags = data.tags.map(clean).filter(Boolean).join(", ");
  if (!book.genre && tags) book.genre = bounded(tags, PERSONA_LIMITS.genre);
  book.card = cardPartsOf(card, name);
  const greeting = clean(data.first_mes) ? bounded(resolveMacros(data.first_mes, name, "you"), MAX_GREETING_CHARACTERS) : null;
  // Resolved like first_mes; blank ones are dropped, the rest kept in order up to the column's limit.
  const alternateGreetings = data.alternate_greetings
    .filter((text) => clean(text))
    .slice(0, MAX_ALTERNATE_GREETINGS)
    .map((text) => bounded(resolveMacros(text, name, "you"), MAX_GREETING_CHARACTERS));
  return {
    type: options.type ?? saved?.type ?? "character",
    name,
    entityName: name,
    entityId: null,
    bookId: options.bookId ?? saved?.bookId ?? cardBookId(name),
    bookInfo: book,
    description: descriptionOf(card, name),
    isPublic: options.isPublic,
    quickTune: options.quick,
    baseModel: options.baseModel,
    examples: examplesFromMesExample(data.mes_example, name),
    greeting,
    alternateGreetings,
    voice: options.voice,
  };
}

/** A model as a card's source needs it: the row as the caller sees it, and the examples they may export. */
export interface CardSource {
  id: string;
  type: "author" | "character";
  entity_name: string;
  book_id: string;
  book_info: NewModel["bookInfo"] & { card?: Partial<CardParts> };
  description: string | null;
  greeting: string | null;
  alternate_greetings: readonly string[];
  examples: readonly { messages: readonly Message[] }[];
}

/** `mes_example` from conversations: `<START>` blocks of `{{user}}:` and `{{char}}:` lines. */
function mesExampleOf(examples: CardSource["examples"]): string {
  return examples.map((example) =>
    ["<START>", ...example.messages.map((message) => `${message.role === "user" ? "{{user}}" : "{{char}}"}: ${message.content}`)]
      .join("\n")
  ).join("\n");
}

/** `text` without the paragraph `paragraph` (one of those import added), wherever it stands. */
function withoutParagraph(text: string, paragraph: string): string {
  if (!paragraph) return text;
  if (text === paragraph) return "";
  if (text.startsWith(`${paragraph}\n\n`)) return text.slice(paragraph.length + 2);
  const at = text.indexOf(`\n\n${paragraph}`);
  const end = at + 2 + paragraph.length;
  if (at < 0 || (end !== text.length && !text.startsWith("\n\n", end))) return text;
  return text.slice(0, at) + text.slice(end);
}

/** The lore import appended (`- keys: content` lines) as lorebook entries again. */
function loreEntriesOf(lines: string): { keys: string[]; content: string; enabled: boolean }[] {
  return lines.split("\n").filter((line) => line.startsWith("- ")).map((line) => {
    const text = line.slice(2);
    const colon = text.indexOf(": ");
    return colon < 0
      ? { keys: [], content: text, enabled: true }
      : { keys: text.slice(0, colon).split(", "), content: text.slice(colon + 2), enabled: true };
  });
}

/**
 * The card's description, personality, scenario and lore apart again: import folded them into
 * the persona's description; what the owner has since changed there stays in the description.
 */
function cardTextsOf(model: CardSource) {
  const parts = model.book_info.card;
  let description = model.description ?? "";
  const personality = parts?.personality ?? "";
  const scenario = parts?.scenario ?? "";
  let entries: ReturnType<typeof loreEntriesOf> = [];
  if (parts?.lore) {
    const at = description.startsWith("Lore:\n") ? 0 : description.lastIndexOf("\n\nLore:\n");
    if (at >= 0) {
      entries = loreEntriesOf(description.slice(at).replace(/^\n*Lore:\n/, ""));
      description = description.slice(0, at);
    }
  }
  description = withoutParagraph(description, personality && `Personality: ${personality}`);
  description = withoutParagraph(description, scenario && `Scenario: ${scenario}`);
  return { description, personality, scenario, entries };
}

/** The persona as a Character Card V3; its Storyvoice extension lets an import restore the book. */
export function cardFromModel(model: CardSource) {
  const { title, author, description, genre, card: parts } = model.book_info;
  const bookInfo = Object.fromEntries(Object.entries({ title, author, description, genre }).filter(([, v]) => v !== undefined));
  const texts = cardTextsOf(model);
  return {
    spec: "chara_card_v3" as const,
    spec_version: "3.0" as const,
    data: {
      name: model.entity_name,
      description: texts.description,
      personality: texts.personality,
      scenario: texts.scenario,
      first_mes: model.greeting ?? "",
      mes_example: mesExampleOf(model.examples),
      creator_notes: parts?.creatorNotes ?? description ?? "",
      system_prompt: "",
      post_history_instructions: "",
      alternate_greetings: [...model.alternate_greetings],
      group_only_greetings: [] as string[],
      tags: parts?.tags ?? (genre ? genre.split(", ").filter(Boolean) : []),
      creator: parts?.creator ?? author ?? "",
      character_version: "",
      ...(texts.entries.length > 0 ? { character_book: { entries: texts.entries, extensions: {} } } : {}),
      extensions: {
        storyvoice: { modelId: model.id, type: model.type, bookId: model.book_id, bookInfo: bookInfo as NewModel["bookInfo"] },
      },
    },
  };
}

/**
 * The card as a PNG: `ccv3` holds it, `chara` the same card as V2 for older readers; the picture
 * it was imported with, else a transparent pixel.
 */
export function cardPng(card: ReturnType<typeof cardFromModel>, picture?: Uint8Array): Uint8Array {
  // The V2 copy says it is one (V3 spec, "PNG/APNG"): a V2 reader shows it in the creator's notes.
  const notes = [BACKFILL_NOTE, card.data.creator_notes].filter(Boolean).join("\n\n");
  const v2 = { spec: "chara_card_v2", spec_version: "2.0", data: { ...card.data, creator_notes: notes } };
  const texts: [string, string][] = [["chara", utf8ToBase64(JSON.stringify(v2))], ["ccv3", utf8ToBase64(JSON.stringify(card))]];
  return picture ? pictureWithText(picture, texts) : buildPngWithText(texts);
}
