import { describe, expect, it } from "vitest";
import { generateGreeting } from "../../shared/personas/greeting.ts";
import { generateStarterPrompts } from "../../shared/personas/starter-prompts.ts";
import { generateStyleGuide } from "../../shared/personas/style-guide.ts";
import type { PersonaInput } from "../../shared/personas/types.ts";
import { generateTrainingExamples } from "../../shared/training/generate-examples.ts";
import { useTeacherSimulator } from "../support/teacher-harness.ts";

// The local stack's simulated teacher, through the real greeting, starter-prompt and training-data
// prompts: a character speaks of their own life in the first person, an author of their writing,
// and two personas never get the same text.

useTeacherSimulator();

const character = (name: string, description: string): PersonaInput => ({
  kind: "character",
  characterName: name,
  characterDescription: description,
  bookTitle: "Pride and Prejudice",
  bookAuthor: "Jane Austen",
});
const elizabeth = character("Elizabeth Bennet", "The quick-witted second daughter of the Bennets of Longbourn.");
const darcy = character("Fitzwilliam Darcy", "A proud, reserved gentleman of Pemberley.");
const author: PersonaInput = { kind: "author", authorName: "Jane Austen", bookTitle: "Pride and Prejudice" };

const AUTHORISH = /\b(wrote|writing|draft|chapter|the book|rewrote|my characters)\b/i;
const GUIDE = "## Voice\nWarm and direct.";

describe("the simulated teacher", () => {
  it("gives a character a first-person greeting of their own, and an author one about their writing", async () => {
    const [lizzy, fitzwilliam, jane] = await Promise.all([elizabeth, darcy, author].map((persona) => generateGreeting(persona, GUIDE)));
    expect(lizzy).toMatch(/^\*Elizabeth Bennet [^*]+\*/); // an action, as roleplay greetings open
    expect(lizzy).toContain("I am Elizabeth Bennet.");
    expect(lizzy).toContain("The quick-witted second daughter of the Bennets of Longbourn.");
    expect(lizzy).not.toMatch(AUTHORISH);
    expect(fitzwilliam).toContain("I am Fitzwilliam Darcy.");
    expect(fitzwilliam).not.toBe(lizzy.replaceAll("Elizabeth Bennet", "Fitzwilliam Darcy"));
    expect(jane).toMatch(/I am Jane Austen, and I wrote Pride and Prejudice/);
    expect(jane).toMatch(AUTHORISH);
    expect(await generateStyleGuide(elizabeth)).not.toMatch(AUTHORISH);
    // Deterministic: the same persona, the same greeting.
    expect(await generateGreeting(elizabeth, GUIDE)).toBe(lizzy);
  });

  it("asks a character about their life and lets them answer of it; asks an author about the book", async () => {
    const prompts = await generateStarterPrompts(elizabeth, GUIDE);
    expect(prompts.every((prompt) => /\byou(r)?\b/i.test(prompt) && !AUTHORISH.test(prompt))).toBe(true);
    expect(await generateStarterPrompts(darcy, GUIDE)).not.toEqual(prompts);

    const lines = await generateTrainingExamples({ persona: elizabeth, styleGuide: GUIDE, count: 10 });
    expect(lines).toHaveLength(10);
    for (const { question, answer } of lines) {
      expect(question).not.toMatch(AUTHORISH);
      expect(answer).toMatch(/\b(I|me|my)\b/);
      expect(answer).not.toMatch(AUTHORISH);
    }
    const written = await generateTrainingExamples({ persona: author, styleGuide: GUIDE, count: 10 });
    expect(written.filter(({ question, answer }) => AUTHORISH.test(`${question} ${answer}`)).length).toBeGreaterThanOrEqual(5);
  });
});
