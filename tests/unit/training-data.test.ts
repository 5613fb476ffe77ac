import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { PersonaInput } from "../../shared/personas/types.ts";
import { ProviderError } from "../../shared/llm/errors.ts";
import {
  generateTrainingExamples,
  normaliseQuestion,
  TRAINING_PLANS,
  type TrainingExample,
  TrainingDataError,
} from "../../shared/training/generate-examples.ts";
import { MIN_TRAINING_EXAMPLES } from "../../shared/training/jsonl.ts";
import { AUTHOR_TOPICS, CHARACTER_TOPICS, type TrainingTopic } from "../../shared/personas/topics.ts";
import { type TeacherChatBody, useTeacherSimulator } from "../support/teacher-harness.ts";

const CHAT_URL = "https://api.openai.com/v1/chat/completions";
const { sim, server } = useTeacherSimulator();

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
};
const AUTHOR_GUIDE = 'You are Mary Shelley, the author of "Frankenstein". Speak with Regency formality.';
const CHARACTER_GUIDE = 'You are Elizabeth Bennet, from "Pride and Prejudice" by Jane Austen. Be playful.';

type ChatBody = TeacherChatBody;
const lastUserMessage = (body: Record<string, unknown>) =>
  (body as ChatBody).messages.filter((message) => message.role === "user").at(-1)!.content;

/** A teacher reply carrying `content`, the way OpenAI answers a chat completion. */
function teacherReply(content: unknown) {
  return HttpResponse.json({
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "gpt-teacher-test",
    choices: [{
      index: 0,
      message: { role: "assistant", content: typeof content === "string" ? content : JSON.stringify(content), refusal: null },
      finish_reason: "stop",
      logprobs: null,
    }],
  });
}

/**
 * Answers the next teacher requests with these contents, one each, in order (then the simulator
 * answers), recording the request bodies in `seen`.
 */
function teacherAnswersInTurn(contents: unknown[], seen: Record<string, unknown>[] = []) {
  const queue = [...contents];
  server.use(http.post(CHAT_URL, async ({ request }) => {
    if (queue.length === 0) return undefined;
    seen.push(await request.json() as Record<string, unknown>);
    return teacherReply(queue.shift());
  }));
}

const example = (topic: TrainingTopic, question: string): TrainingExample => ({
  topic: topic.id,
  question,
  answer: `I remember it well: ${question.toLowerCase()} It began on a wet night by the lake at Geneva.`,
});

function expectCoverage(examples: TrainingExample[], topics: readonly TrainingTopic[]) {
  const ids = topics.map((topic) => topic.id);
  for (const item of examples) {
    expect(ids).toContain(item.topic);
    expect(item.question.trim().length).toBeGreaterThan(4);
    expect(item.answer.trim().length).toBeGreaterThan(19);
  }
  expect(new Set(examples.map((item) => item.topic))).toEqual(new Set(ids));
  expect(new Set(examples.map((item) => normaliseQuestion(item.question))).size).toBe(examples.length);
}

describe("generateTrainingExamples", () => {
  it("writes a full author set covering every author topic in one structured request", async () => {
    const examples = await generateTrainingExamples({
      persona: author,
      styleGuide: AUTHOR_GUIDE,
      count: TRAINING_PLANS.full.examples,
      minimum: TRAINING_PLANS.full.min,
    });

    expect(examples).toHaveLength(24);
    expectCoverage(examples, AUTHOR_TOPICS);
    expect(sim.chatRequests).toHaveLength(1);
    const body = sim.chatRequests[0] as ChatBody;
    expect(body.model).toBe("gpt-teacher-test");
    expect(body.response_format.type).toBe("json_schema");
    expect(body.response_format.json_schema.strict).toBe(true);
    const items = body.response_format.json_schema.schema.properties.examples;
    expect([items.minItems, items.maxItems]).toEqual([24, 24]);
    expect(items.items.properties.topic.enum).toEqual(AUTHOR_TOPICS.map((topic) => topic.id));

    const request = lastUserMessage(body);
    expect(request).toContain(author.bookTitle);
    expect(request).toContain(author.bookDescription);
    expect(request).toContain(AUTHOR_GUIDE);
    expect(request).toMatch(/Write exactly 24 examples\.$/);
    // 24 over 5 topics: 5, 5, 5, 5 and 4.
    expect(request).toContain('- 5 on "inspiration_and_process"');
    expect(request).toContain('- 4 on "influences_and_advice"');
    expect(body.messages[0].content).toContain("their own book");
  });

  it("writes a quick character set of the provider's minimum covering every character topic", async () => {
    const examples = await generateTrainingExamples({
      persona: character,
      styleGuide: CHARACTER_GUIDE,
      count: TRAINING_PLANS.quick.examples,
    });

    expect(examples).toHaveLength(10);
    expectCoverage(examples, CHARACTER_TOPICS);
    const body = sim.chatRequests[0] as ChatBody;
    const request = lastUserMessage(body);
    expect(request).toContain(character.characterDescription);
    expect(request).toContain('"Pride and Prejudice" by Jane Austen');
    for (const topic of CHARACTER_TOPICS) expect(request).toContain(`- 2 on "${topic.id}"`);
    expect(body.messages[0].content).toContain("does not know they are fictional");
  });

  it("drops duplicate questions and asks again for the missing ones", async () => {
    const seen: Record<string, unknown>[] = [];
    const [t1, t2, t3, t4, t5] = CHARACTER_TOPICS;
    teacherAnswersInTurn([{ examples: [
      example(t1, "Where did you grow up?"),
      example(t2, "What do you fear most?"),
      example(t3, "What do you think of Mr Darcy?"),
      example(t4, "What happened at the Meryton assembly?"),
      example(t5, "Why did you refuse Mr Collins?"),
      example(t1, "  where did you GROW up "),
      example(t2, "What do you fear most??"),
      example(t3, "What do you think of Jane?"),
      example(t4, "What happened at the Meryton assembly?"),
      example(t5, "What makes you laugh?"),
    ] }], seen);

    const examples = await generateTrainingExamples({ persona: character, styleGuide: CHARACTER_GUIDE, count: 10 });

    expect(examples).toHaveLength(10);
    expectCoverage(examples, CHARACTER_TOPICS);
    // The first of each duplicate is kept, in order, before the top-up.
    expect(examples.slice(0, 7).map((item) => item.question)).toEqual([
      "Where did you grow up?",
      "What do you fear most?",
      "What do you think of Mr Darcy?",
      "What happened at the Meryton assembly?",
      "Why did you refuse Mr Collins?",
      "What do you think of Jane?",
      "What makes you laugh?",
    ]);
    expect(seen).toHaveLength(1);
    expect(sim.chatRequests).toHaveLength(1);
    const topUp = lastUserMessage(sim.chatRequests[0]);
    expect(topUp).toMatch(/Write exactly 3 examples\.$/);
    expect(topUp).toContain("Questions already written (ask different ones):\n- Where did you grow up?");
    const schema = (sim.chatRequests[0] as ChatBody).response_format.json_schema.schema;
    expect(schema.properties.examples.minItems).toBe(3);
  });

  it("rebalances when the teacher leaves topics out", async () => {
    const [first, ...others] = AUTHOR_TOPICS;
    const seen: Record<string, unknown>[] = [];
    teacherAnswersInTurn([
      { examples: Array.from({ length: 10 }, (_, index) => example(first, `Where did idea ${index} come from?`)) },
      { examples: others.map((topic) => example(topic, `Tell me about ${topic.label}.`)) },
    ], seen);

    const examples = await generateTrainingExamples({ persona: author, styleGuide: AUTHOR_GUIDE, count: 10 });

    expect(examples).toHaveLength(10);
    expectCoverage(examples, AUTHOR_TOPICS);
    expect(examples.filter((item) => item.topic === first.id)).toHaveLength(6);
    const topUp = lastUserMessage(seen[1]);
    expect(topUp).toMatch(/Write exactly 4 examples\.$/);
    for (const topic of others) expect(topUp).toContain(`- 1 on "${topic.id}"`);
    expect(topUp).not.toContain(`on "${first.id}"`);
  });

  it("drops answers that break character and replaces them", async () => {
    const topics = AUTHOR_TOPICS;
    const examples = [
      ...topics.map((topic) => example(topic, `A question on ${topic.label}?`)),
      ...topics.map((topic) => example(topic, `Another question on ${topic.label}?`)),
    ];
    examples[2] = { ...examples[2], answer: "As an AI language model, I have no memories of writing anything." };
    teacherAnswersInTurn([{ examples }]);

    const generated = await generateTrainingExamples({ persona: author, styleGuide: AUTHOR_GUIDE, count: 10 });

    expect(generated).toHaveLength(10);
    expect(generated.some((item) => /language model/i.test(item.answer))).toBe(false);
    const topUp = lastUserMessage(sim.chatRequests[0]);
    expect(topUp).toMatch(/Write exactly 1 example\.$/);
    expect(topUp).toContain(`- 1 on "${topics[2].id}"`);
  });

  it("accepts fewer than asked when the teacher keeps repeating itself, down to the minimum", async () => {
    const distinct = [...AUTHOR_TOPICS, AUTHOR_TOPICS[0], AUTHOR_TOPICS[1], AUTHOR_TOPICS[2]]
      .map((topic, index) => example(topic, `Distinct question ${index}?`));
    const repetitive = [...distinct, ...distinct.slice(0, 4)];
    server.use(http.post(CHAT_URL, () => teacherReply({ examples: repetitive })));

    const examples = await generateTrainingExamples({ persona: author, styleGuide: AUTHOR_GUIDE, count: 12, minimum: 8 });
    expect(examples).toHaveLength(8);
    expectCoverage(examples, AUTHOR_TOPICS);

    await expect(generateTrainingExamples({ persona: author, styleGuide: AUTHOR_GUIDE, count: 12 })).rejects.toThrow(
      new TrainingDataError(
        "The teacher model produced 8 distinct training examples (at least 12 covering all 5 topics are needed).",
      ),
    );
  });

  it("retries a malformed teacher answer", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "malformed" });

    const examples = await generateTrainingExamples({ persona: author, styleGuide: AUTHOR_GUIDE, count: 10 });

    expect(examples).toHaveLength(10);
    expectCoverage(examples, AUTHOR_TOPICS);
    expect(sim.chatRequests).toHaveLength(2);
  });

  it("retries an answer that does not match the schema", async () => {
    teacherAnswersInTurn(["Here are your examples: ...", { examples: "none today" }]);

    const examples = await generateTrainingExamples({ persona: character, styleGuide: CHARACTER_GUIDE, count: 10 });

    expect(examples).toHaveLength(10);
    expect(sim.chatRequests).toHaveLength(1);
  });

  it("fails with a clear, storable error after repeated malformed answers", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "malformed", times: 3 });

    const failure = generateTrainingExamples({ persona: author, styleGuide: AUTHOR_GUIDE, count: 10 });

    await expect(failure).rejects.toBeInstanceOf(TrainingDataError);
    await expect(failure).rejects.toThrow(
      "The teacher model gave no usable training examples in 3 attempts " +
        "(last problem: the response body was not valid JSON).",
    );
    expect(sim.chatRequests).toHaveLength(3);
  });

  it("names the schema problem when the teacher's JSON is invalid every time", async () => {
    server.use(http.post(CHAT_URL, () => teacherReply({ examples: [{ topic: "gossip", question: "Hm?", answer: "" }] })));

    await expect(generateTrainingExamples({ persona: author, styleGuide: AUTHOR_GUIDE, count: 10 })).rejects.toThrow(
      /no usable training examples in 3 attempts \(last problem: examples\.0\.topic: Invalid option/,
    );
  });

  it("surfaces a provider failure as a ProviderError without retrying it", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "status", status: 429 });

    const failure = generateTrainingExamples({ persona: author, styleGuide: AUTHOR_GUIDE, count: 10 });

    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ kind: "rate_limited", status: 429, retryable: true });
    expect(sim.chatRequests).toHaveLength(1);
  });

  it("rejects counts that cannot cover the topics", async () => {
    const input = { persona: author, styleGuide: AUTHOR_GUIDE };
    await expect(generateTrainingExamples({ ...input, count: 4 })).rejects.toThrow(RangeError);
    await expect(generateTrainingExamples({ ...input, count: 51 })).rejects.toThrow(RangeError);
    await expect(generateTrainingExamples({ ...input, count: 10, minimum: 11 })).rejects.toThrow(RangeError);
    expect(sim.chatRequests).toHaveLength(0);
  });
});

describe("TRAINING_PLANS", () => {
  it("asks for 20-30 examples on a full run and the provider's minimum on a quick one, with fewer epochs", () => {
    const { full, quick } = TRAINING_PLANS;
    expect(full.min).toBeGreaterThanOrEqual(20);
    expect(full.max).toBeLessThanOrEqual(30);
    expect(full.examples).toBeGreaterThanOrEqual(full.min);
    expect(full.examples).toBeLessThanOrEqual(full.max);
    expect(quick.min).toBe(MIN_TRAINING_EXAMPLES);
    expect(quick.max).toBeLessThanOrEqual(12);
    expect(quick.examples).toBeGreaterThanOrEqual(quick.min);
    expect(quick.epochs).toBeLessThan(full.epochs);
  });
});

describe("normaliseQuestion", () => {
  it("ignores case, accents, punctuation and spacing", () => {
    expect(normaliseQuestion("  Where did the IDÉA come from?! ")).toBe(normaliseQuestion("where did the idea come from"));
    expect(normaliseQuestion("Who is Mr. Darcy?")).not.toBe(normaliseQuestion("Who is Mr. Bingley?"));
  });
});
