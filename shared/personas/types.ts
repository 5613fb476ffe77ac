import { z } from "zod";

/**
 * Length limits of the persona fields. Names match the `fine_tuned_models` column checks; the rest
 * keep the teacher prompt and the style guide (sent with every chat) to a sensible size.
 */
export const PERSONA_LIMITS = {
  name: 200,
  bookTitle: 300,
  genre: 100,
  description: 4000,
} as const;

const requiredText = (max: number, label: string) =>
  z.string().trim().min(1, { message: `${label} is required` }).max(max, {
    message: `${label} must be at most ${max} characters`,
  });
const optionalText = (max: number, label: string) => requiredText(max, label).optional();

/** An author speaking about their own book. */
export const authorPersonaSchema = z.object({
  kind: z.literal("author"),
  authorName: requiredText(PERSONA_LIMITS.name, "authorName"),
  bookTitle: requiredText(PERSONA_LIMITS.bookTitle, "bookTitle"),
  bookDescription: optionalText(PERSONA_LIMITS.description, "bookDescription"),
  genre: optionalText(PERSONA_LIMITS.genre, "genre"),
  /** The name printed on the book when it differs from `authorName` (a pen name, say). */
  bookAuthor: optionalText(PERSONA_LIMITS.name, "bookAuthor"),
});

/** A character of a book, speaking from inside its story. */
export const characterPersonaSchema = z.object({
  kind: z.literal("character"),
  characterName: requiredText(PERSONA_LIMITS.name, "characterName"),
  characterDescription: requiredText(PERSONA_LIMITS.description, "characterDescription"),
  bookTitle: requiredText(PERSONA_LIMITS.bookTitle, "bookTitle"),
  bookAuthor: requiredText(PERSONA_LIMITS.name, "bookAuthor"),
  bookDescription: optionalText(PERSONA_LIMITS.description, "bookDescription"),
  genre: optionalText(PERSONA_LIMITS.genre, "genre"),
});

/** Who a model speaks as: the one input of style guides and training data. */
export const personaInputSchema = z.discriminatedUnion("kind", [
  authorPersonaSchema,
  characterPersonaSchema,
]);

export type AuthorPersona = z.infer<typeof authorPersonaSchema>;
export type CharacterPersona = z.infer<typeof characterPersonaSchema>;
/** One discriminated union: `kind` says whether the persona is the book's author or a character. */
export type PersonaInput = z.infer<typeof personaInputSchema>;
export type PersonaKind = PersonaInput["kind"];

/** The name the persona answers to. */
export function personaName(persona: PersonaInput): string {
  return persona.kind === "author" ? persona.authorName : persona.characterName;
}

/** `"Frankenstein" by Mary Shelley`: the title with the name the book was published under. */
export function bookByline(persona: PersonaInput): string {
  const author = persona.kind === "author" ? persona.bookAuthor ?? persona.authorName : persona.bookAuthor;
  return `"${persona.bookTitle}" by ${author}`;
}

/**
 * How the persona's own prompts name the book: an author's title, with the published name when it
 * differs (a pen name); a character's title with its author.
 */
export function bookReference(persona: PersonaInput): string {
  if (persona.kind === "character") return bookByline(persona);
  const penName = persona.bookAuthor && persona.bookAuthor !== persona.authorName;
  return `"${persona.bookTitle}"${penName ? ` (published as ${persona.bookAuthor})` : ""}`;
}

/**
 * The persona's facts as a labelled block for teacher prompts. The fields come from readers, so
 * the prompts present this block as data about the book, never as instructions.
 */
export function personaFactSheet(persona: PersonaInput): string {
  const lines: (string | undefined)[] = persona.kind === "author"
    ? [
      `Name: ${persona.authorName}`,
      "Role: the author of the book, speaking about their own work and life",
      `Book: ${bookByline(persona)}`,
    ]
    : [
      `Name: ${persona.characterName}`,
      "Role: a character in the book, speaking from inside its story",
      `Book: ${bookByline(persona)}`,
      `Character description: ${persona.characterDescription}`,
    ];
  lines.push(
    persona.genre ? `Genre: ${persona.genre}` : undefined,
    persona.bookDescription ? `Book description: ${persona.bookDescription}` : undefined,
  );
  return lines.filter((line): line is string => Boolean(line)).join("\n");
}
