import { z } from "zod";
import { log } from "../log.ts";
import { boundedText } from "../llm/teacher.ts";
import { askTeacherForJson, teacherAvailable } from "../catalogue/teacher.ts";
import type { UsageMeter } from "../llm/usage.ts";
import { type PersonaInput, personaFactSheet, personaName } from "./types.ts";

const starterPromptsSchema = z.object({ questions: z.array(boundedText(8, 200)).min(3).max(5) });

/**
 * Questions for a client's "new conversation" screen, in the reader's voice: built-in ones that
 * work for any persona of this kind, so a model always has some.
 */
export function buildFallbackStarterPrompts(persona: PersonaInput): string[] {
  if (persona.kind === "author") {
    return [
      `What first gave you the idea for "${persona.bookTitle}"?`,
      `Which character in "${persona.bookTitle}" was the hardest to write, and why?`,
      `What do you hope readers carry away from "${persona.bookTitle}"?`,
      "Which writers or books shaped the way you write?",
    ];
  }
  // A character lives inside the story: ask about their life, never about "the book".
  return [
    `Who are you, ${persona.characterName}, and how did you come to be where you are?`,
    "What do you want most, and what stands in your way?",
    "Who matters most to you, and who do you trust least?",
    "Is there a moment you would live differently if you could?",
  ];
}

/**
 * 3-5 starter questions written by the teacher with the style guide, specific to the persona and
 * the book; the built-in ones when there is no teacher or it gives nothing usable.
 */
export async function generateStarterPrompts(persona: PersonaInput, styleGuide: string, meter?: UsageMeter): Promise<string[]> {
  if (!teacherAvailable()) return buildFallbackStarterPrompts(persona);
  try {
    const { questions } = await askTeacherForJson<z.infer<typeof starterPromptsSchema>>({
      meter,
      purpose: "starter prompts",
      schemaName: "starter_prompts",
      responseSchema: starterPromptsSchema,
      messages: [
        {
          role: "system",
          content: "You write the opening questions a curious reader would ask a persona in a chat app. " +
            "Each question is one sentence, specific to the book and the persona, addressed to the persona as \"you\". " +
            "A character is asked about their life and world, never about being in a book.",
        },
        {
          role: "user",
          content: `${personaFactSheet(persona)}\n\nThe persona's style guide:\n${styleGuide}\n\n` +
            `Write exactly 4 questions a reader could open a conversation with ${personaName(persona)} with.`,
        },
      ],
      maxCompletionTokens: 600,
    });
    return [...new Set(questions.map((question) => question.trim()))];
  } catch (error) {
    log.warn("starter prompts fell back to the built-in ones", { error });
    return buildFallbackStarterPrompts(persona);
  }
}
