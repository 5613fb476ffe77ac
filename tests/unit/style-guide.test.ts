import { describe, expect, it } from "vitest";
import { resetEnv } from "../../shared/env.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import {
  buildFallbackStyleGuide,
  generateStyleGuide,
  renderStyleGuide,
  type StyleGuideParts,
} from "../../shared/personas/style-guide.ts";
import { type PersonaInput, personaInputSchema } from "../../shared/personas/types.ts";
import { ProviderError } from "../../shared/llm/errors.ts";
import { TrainingDataError } from "../../shared/training/generate-examples.ts";
import { type TeacherChatBody, useTeacherSimulator } from "../support/teacher-harness.ts";

const { sim } = useTeacherSimulator();

const author: PersonaInput = {
  kind: "author",
  authorName: "Mary Shelley",
  bookTitle: "Frankenstein; or, The Modern Prometheus",
  genre: "Gothic novel",
  bookDescription: "A young scientist creates a sapient creature and is undone by what he refuses to love.",
};
const character: PersonaInput = {
  kind: "character",
  characterName: "Elizabeth Bennet",
  characterDescription: "The quick-witted second daughter of the Bennets of Longbourn, who judges Mr Darcy too soon.",
  bookTitle: "Pride and Prejudice",
  bookAuthor: "Jane Austen",
  bookDescription: "Five unmarried sisters, a mother in a hurry, and a proud gentleman from Derbyshire.",
};

const SECTION_HEADINGS = [
  "## Voice",
  "## Diction",
  "## Era and setting",
  "## Relationships",
  "## What you know",
  "## What you do not know",
  "## Verbal habits",
  "## Topics to steer toward",
  "## Boundaries",
  "## Always",
];

type ChatBody = TeacherChatBody;

/** The headings in the order they appear; -1 for a missing one. */
const headingPositions = (guide: string) => SECTION_HEADINGS.map((heading) => guide.indexOf(`${heading}\n`));

function expectInCharacterRules(guide: string, name: string) {
  expect(guide).toContain(`Stay in character as ${name} in every reply.`);
  expect(guide).toContain(`Answer in the first person, as ${name} yourself`);
  expect(guide).toContain("Never say or suggest that you are an AI, a language model");
}

describe("generateStyleGuide", () => {
  it("asks the teacher for structured parts and renders every section for an author", async () => {
    const guide = await generateStyleGuide(author);

    expect(guide.startsWith('You are Mary Shelley, the author of "Frankenstein; or, The Modern Prometheus".')).toBe(true);
    const positions = headingPositions(guide);
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(guide).toContain("## Key plot points of your book\n- ");
    // Every section carries the teacher's own text about the persona, not just a heading.
    for (const section of guide.split("\n\n## ").slice(1, -1)) expect(section).toMatch(/\n.*Mary Shelley/);
    expectInCharacterRules(guide, "Mary Shelley");
    expect(guide).toContain("of your own life up to the time you wrote it");

    expect(sim.chatRequests).toHaveLength(1);
    const body = sim.chatRequests[0] as ChatBody;
    expect(body.model).toBe("gpt-teacher-test");
    expect(body.response_format.json_schema.name).toBe("persona_style_guide");
    expect(body.response_format.json_schema.strict).toBe(true);
    expect(Object.keys(body.response_format.json_schema.schema.properties)).toEqual([
      "identity",
      "voice",
      "diction",
      "eraAndSetting",
      "relationships",
      "keyPlotPoints",
      "knows",
      "doesNotKnow",
      "verbalHabits",
      "topicsToSteerToward",
      "boundaries",
    ]);
    const request = body.messages.at(-1)!.content;
    expect(request).toContain("Name: Mary Shelley");
    expect(request).toContain(`Book description: ${author.bookDescription}`);
    expect(request).toContain("Genre: Gothic novel");
    expect(request).toContain("their own life, influences and times up to writing it; nothing after");
  });

  it("renders a character's guide with the rule that they do not know they are fictional", async () => {
    const guide = await generateStyleGuide(character);

    expect(guide.startsWith('You are Elizabeth Bennet, from "Pride and Prejudice" by Jane Austen.')).toBe(true);
    expect(headingPositions(guide).every((position) => position > 0)).toBe(true);
    expect(guide).toContain("## Key events of your story\n- ");
    expectInCharacterRules(guide, "Elizabeth Bennet");
    expect(guide).toContain("You do not know that you are a character in a book");
    const request = (sim.chatRequests[0] as ChatBody).messages.at(-1)!.content;
    expect(request).toContain(`Character description: ${character.characterDescription}`);
    expect(request).toContain("does not know they are fictional");
  });

  it("retries a malformed teacher answer, then gives up with a storable error", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "malformed" });
    expect(await generateStyleGuide(author)).toContain("## Voice");
    expect(sim.chatRequests).toHaveLength(2);

    sim.inject({ path: "/v1/chat/completions", kind: "malformed", times: 3 });
    await expect(generateStyleGuide(author)).rejects.toThrow(
      new TrainingDataError(
        "The teacher model gave no usable style guide in 3 attempts (last problem: the response body was not valid JSON).",
      ),
    );
    expect(sim.chatRequests).toHaveLength(5);
  });

  it("says the teacher is unavailable without an API key, and calls nothing", async () => {
    delete process.env.OPENAI_API_KEY;
    resetEnv();
    resetOpenAI();

    await expect(generateStyleGuide(author)).rejects.toSatisfy((error) =>
      error instanceof ProviderError && error.kind === "unavailable"
    );
    expect(sim.chatRequests).toHaveLength(0);
  });
});

describe("renderStyleGuide", () => {
  const parts: StyleGuideParts = {
    identity: "You are nineteen, newly a mother, and already a writer of rare nerve.",
    voice: "You speak in long, balanced sentences.",
    diction: "Regency English: 'I own', 'melancholy', 'sublime'.",
    eraAndSetting: "1816, the 'year without a summer', at the Villa Diodati on Lake Geneva.",
    relationships: [{ name: "Percy Bysshe Shelley", relationship: "your husband and first reader" }],
    keyPlotPoints: ["Victor animates the creature and flees from it."],
    knows: ["Every page of the novel."],
    doesNotKnow: ["Anything after 1818."],
    verbalHabits: ["You begin a confession with 'I own that...'"],
    topicsToSteerToward: ["The ghost-story contest with Byron."],
    boundaries: ["You will not speak of your lost first child."],
  };

  it("puts every part under its heading, in order", () => {
    const guide = renderStyleGuide(author, parts);
    expect(guide).toContain(`\n\n${parts.identity}\n\n## Voice\n${parts.voice}\n\n## Diction\n${parts.diction}`);
    expect(guide).toContain("## Relationships\n- Percy Bysshe Shelley: your husband and first reader");
    expect(guide).toContain("## What you do not know\n- Anything after 1818.");
    expect(guide).toContain("## Boundaries\n- You will not speak of your lost first child.\n\n## Always\n- ");
  });

  it("leaves out a section with nothing in it", () => {
    const guide = renderStyleGuide(author, { ...parts, relationships: [] });
    expect(guide).not.toContain("## Relationships");
    expect(guide).toContain("## Era and setting");
  });

  it("names the pen name an author published under", () => {
    const evans: PersonaInput = { kind: "author", authorName: "Mary Ann Evans", bookTitle: "Middlemarch", bookAuthor: "George Eliot" };
    expect(renderStyleGuide(evans, parts)).toMatch(/^You are Mary Ann Evans, the author of "Middlemarch" \(published as George Eliot\)\./);
  });
});

describe("buildFallbackStyleGuide", () => {
  it("is specific to an author and their book", () => {
    const guide = buildFallbackStyleGuide(author);

    expect(guide).toMatch(/^You are Mary Shelley, the author of "Frankenstein; or, The Modern Prometheus"\./);
    expect(guide).toContain(author.bookDescription);
    expect(guide).toContain("Gothic novel");
    expect(guide).toContain('## What you know\n- "Frankenstein; or, The Modern Prometheus" in full');
    expect(guide).toContain("## What you do not know\n- Anything that happened after you wrote the book");
    expect(guide).toContain("of your own life up to the time you wrote it");
    expect(guide).toContain("- Inspiration and process");
    expectInCharacterRules(guide, "Mary Shelley");
    expect(guide).not.toMatch(/undefined|null/);
  });

  it("is specific to a character and keeps them inside their story", () => {
    const guide = buildFallbackStyleGuide(character);

    expect(guide).toMatch(/^You are Elizabeth Bennet, from "Pride and Prejudice" by Jane Austen\./);
    expect(guide).toContain(character.characterDescription);
    expect(guide).toContain(character.bookDescription);
    expect(guide).toContain("## What you do not know\n- That you are a character in a book, or that there is an author or readers");
    expect(guide).toContain("You do not know that you are a character in a book");
    expect(guide).toContain("Never contradict the events of your story.");
    expect(guide).toContain("- Desires and fears");
    expectInCharacterRules(guide, "Elizabeth Bennet");
    expect(guide).not.toMatch(/undefined|null/);
  });

  it("works from the required fields alone and is deterministic", () => {
    const minimal = personaInputSchema.parse({
      kind: "character",
      characterName: " Sherlock Holmes ",
      characterDescription: "A consulting detective of Baker Street.",
      bookTitle: "A Study in Scarlet",
      bookAuthor: "Arthur Conan Doyle",
    });
    const guide = buildFallbackStyleGuide(minimal);
    expect(guide).toBe(buildFallbackStyleGuide(minimal));
    expect(guide).toMatch(/^You are Sherlock Holmes, from "A Study in Scarlet" by Arthur Conan Doyle\./);
    expect(guide).not.toContain("## Key events of your story");
    expect(guide).not.toMatch(/undefined|null/);
  });
});
