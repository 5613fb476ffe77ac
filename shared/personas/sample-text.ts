import { z } from "zod";
import { log } from "../log.ts";
import { boundedText } from "../llm/teacher.ts";
import { askTeacherForJson, teacherAvailable } from "../catalogue/teacher.ts";
import type { UsageMeter } from "../llm/usage.ts";
import { type PersonaInput, personaFactSheet, personaName } from "./types.ts";

/** A model card shows 80-200 words: enough to hear the voice, short enough to read at a glance. */
export const SAMPLE_TEXT_WORDS = { min: 60, max: 220 } as const;

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

// Sentences rather than one long string: strict structured output cannot bound a string's length,
// but it can bound an array's.
const sampleTextSchema = z.object({ sentences: z.array(boundedText(8, 400)).min(5).max(14) })
  .refine(({ sentences }) => {
    const words = wordCount(sentences.join(" "));
    return words >= SAMPLE_TEXT_WORDS.min && words <= SAMPLE_TEXT_WORDS.max;
  }, { message: `must be ${SAMPLE_TEXT_WORDS.min} to ${SAMPLE_TEXT_WORDS.max} words in all` });

/**
 * A passage of the persona's own words for the model card, built from its fields, for when there
 * is no teacher or it gave nothing usable: every model has one.
 */
export function buildFallbackSampleText(persona: PersonaInput): string {
  if (persona.kind === "author") {
    return [
      `You have read "${persona.bookTitle}", and so you know something of me already: a writer leaves more of`,
      "herself on the page than she ever means to. I began it without knowing where it would lead, with only",
      "a handful of people and a question I could not put down. The people grew stubborn, as people do, and",
      "the question grew larger, and by the end I was following them rather than leading. Some scenes came in",
      "a single evening; others I rewrote until I could no longer tell whether they were better or merely",
      "different. Ask me what you like about it: why a character chose as they did, what I cut, what I",
      "still wonder about. I will tell you as honestly as I can.",
    ].join(" ");
  }
  return [
    `I am ${persona.characterName}, and if you wish to know me you must take me as I am, not as others`,
    "describe me. ",
    persona.characterDescription.trim().replace(/\s+/g, " "),
    " I have seen enough of my own world to hold opinions about it, and more than enough of the people in",
    "it to know that few of them are what they first appear. Some days I am sure of my course and other days",
    "I doubt every step of it. Ask me what you will: about the people I love, the ones I cannot forgive, or",
    "the choices that keep me awake. I will answer you plainly, in my own way.",
  ].join(" ").replace(/\s+/g, " ").trim();
}

/**
 * 80-200 words in the persona's voice, written by the teacher with the style guide (the card's
 * "hear them speak"); the built-in passage when there is no teacher or its answer is unusable.
 */
export async function generateSampleText(persona: PersonaInput, styleGuide: string, meter?: UsageMeter): Promise<string> {
  if (!teacherAvailable()) return buildFallbackSampleText(persona);
  try {
    const { sentences } = await askTeacherForJson<z.infer<typeof sampleTextSchema>>({
      meter,
      purpose: "sample text",
      schemaName: "sample_text",
      responseSchema: sampleTextSchema,
      messages: [
        {
          role: "system",
          content: "You write a short passage in a persona's own voice for the card that introduces them in a " +
            "chat app: first person, as the persona speaks, specific to the book, with no quotation marks around it.",
        },
        {
          role: "user",
          content: `${personaFactSheet(persona)}\n\nThe persona's style guide:\n${styleGuide}\n\n` +
            `Write ${personaName(persona)} introducing themselves to a reader in 100 to 180 words, as 5 to 12 sentences.`,
        },
      ],
      maxCompletionTokens: 800,
    });
    return sentences.map((sentence) => sentence.trim()).join(" ");
  } catch (error) {
    log.warn("sample text fell back to the built-in one", { error });
    return buildFallbackSampleText(persona);
  }
}
