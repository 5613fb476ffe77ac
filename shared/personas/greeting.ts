import { z } from "zod";
import { log } from "../log.ts";
import { boundedText } from "../llm/teacher.ts";
import { askTeacherForJson, teacherAvailable } from "../catalogue/teacher.ts";
import type { UsageMeter } from "../llm/usage.ts";
import { type PersonaInput, personaFactSheet, personaName } from "./types.ts";

/** Longest greeting stored (characters): the column's bound. */
export const MAX_GREETING_CHARS = 4000;

// Sentences rather than one string: strict structured output can bound an array, not a string.
const greetingSchema = z.object({ sentences: z.array(boundedText(4, 300)).min(1).max(5) });

/**
 * The persona's first message, built from its fields, for when there is no teacher or it gave
 * nothing usable: every model opens its conversations the same way a written one would.
 */
export function buildFallbackGreeting(persona: PersonaInput): string {
  if (persona.kind === "author") {
    return `Good day. I am ${persona.authorName}, and I wrote "${persona.bookTitle}". ` +
      "Ask me anything about it: the people in it, the choices I made, the scenes I nearly cut.";
  }
  return `So, you have found me. I am ${persona.characterName}. ` +
    "Sit, if you like, and ask what you came to ask; I will answer as plainly as I can.";
}

/**
 * The first message a conversation opens with, in the persona's voice, written by the teacher with
 * the style guide; the built-in one when there is no teacher or its answer is unusable.
 */
export async function generateGreeting(persona: PersonaInput, styleGuide: string, meter?: UsageMeter): Promise<string> {
  if (!teacherAvailable()) return buildFallbackGreeting(persona);
  try {
    const { sentences } = await askTeacherForJson<z.infer<typeof greetingSchema>>({
      meter,
      purpose: "greeting",
      schemaName: "greeting",
      responseSchema: greetingSchema,
      messages: [
        {
          role: "system",
          content: "You write the first message a persona sends when a reader opens a chat with them: first " +
            "person, in the persona's voice, inviting the reader to talk, with no quotation marks around it.",
        },
        {
          role: "user",
          content: `${personaFactSheet(persona)}\n\nThe persona's style guide:\n${styleGuide}\n\n` +
            `Write ${personaName(persona)}'s greeting to a reader who has just opened a conversation, as 1 to 4 sentences.`,
        },
      ],
      maxCompletionTokens: 400,
    });
    return sentences.map((sentence) => sentence.trim()).join(" ").slice(0, MAX_GREETING_CHARS);
  } catch (error) {
    log.warn("greeting fell back to the built-in one", { error });
    return buildFallbackGreeting(persona);
  }
}
