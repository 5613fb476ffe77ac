import OpenAI, { NotFoundError } from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { client, useSimulatorHarness } from "../support/openai-simulator-harness.ts";

const { sim, finishedJob } = useSimulatorHarness();

describe("chat completions", () => {
  const personaMessages = [
    { role: "system" as const, content: "You are Jane Austen, the author of Pride and Prejudice. Stay in character." },
    { role: "user" as const, content: "Why did you set so much of it in Bath?" },
  ];

  it("answers in character with usage, and records the request", async () => {
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: personaMessages });
    expect(completion).toMatchObject({
      object: "chat.completion",
      model: "gpt-4o-mini",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", refusal: null } }],
    });
    const content = completion.choices[0].message.content!;
    expect(content).toMatch(/^As Jane Austen, I would say:/);
    expect(content).toContain("Why did you set so much of it in Bath?");
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
    expect(sim.chatRequests).toEqual([{ model: "gpt-4o-mini", messages: personaMessages }]);
  });

  it("chats with a fine-tuned model once its job succeeded", async () => {
    const modelId = (await finishedJob()).fine_tuned_model!;
    const completion = await client.chat.completions.create({ model: modelId, messages: personaMessages });
    expect(completion.model).toBe(modelId);
  });

  it("answers 404 model_not_found for a retired model", async () => {
    const modelId = (await finishedJob()).fine_tuned_model!;
    sim.retireModel(modelId);
    const error = await client.chat.completions.create({ model: modelId, messages: personaMessages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: "model_not_found", type: "invalid_request_error" });
  });

  it("answers 404 for a fine-tuned model that never existed", async () => {
    const chat = client.chat.completions.create({ model: "ft:gpt-4o-mini:org::nope", messages: personaMessages });
    await expect(chat).rejects.toMatchObject({ status: 404, code: "model_not_found" });
  });

  it("streams several content deltas, a finish chunk and a usage chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: personaMessages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? "")).filter(Boolean);
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltas.join("")).toMatch(/^As Jane Austen, I would say:.*Bath/);
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe("stop");
    expect(chunks.at(-1)).toMatchObject({ object: "chat.completion.chunk", choices: [] });
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("works with the SDK's stream helper", async () => {
    const runner = client.chat.completions.stream({ model: "gpt-4o-mini", messages: personaMessages });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0].message.content).toMatch(/^As Jane Austen/);
  });
});

describe("structured output", () => {
  const Topic = z.enum(["inspiration", "themes", "characters", "titles", "influences"]);
  const TrainingSet = z.object({
    examples: z.array(z.object({
      topic: Topic,
      question: z.string(),
      answer: z.string().min(40),
      confidence: z.number().min(0).max(1),
      chapter: z.number().int().min(1).max(61),
      spoiler: z.boolean(),
      note: z.string().nullable(),
    })),
  });
  const jsonSchemaFormat = (name: string, schema: unknown) => ({
    type: "json_schema" as const,
    json_schema: { name, strict: true, schema: schema as Record<string, unknown> },
  });
  const askFor = (userText: string) => [
    { role: "system" as const, content: "You write training conversations for a persona." },
    { role: "user" as const, content: userText },
  ];

  it("fills a zodResponseFormat schema so the SDK parses and validates it (zod 4)", async () => {
    const completion = await client.chat.completions.parse({
      model: "gpt-4o-mini",
      messages: askFor('Persona: {"name": "Jane Austen"}. Write 5 examples.'),
      response_format: zodResponseFormat(TrainingSet, "training_set"),
    });
    const parsed = completion.choices[0].message.parsed!;
    expect(TrainingSet.parse(parsed)).toEqual(parsed);
    expect(parsed.examples).toHaveLength(5);
    expect(new Set(parsed.examples.map((example) => example.topic))).toEqual(new Set(Topic.options));
    expect(parsed.examples.every((example) => example.note !== null)).toBe(true);

    const strings = parsed.examples.flatMap((example) => [example.question, example.answer, example.note!]);
    expect(new Set(strings).size).toBe(strings.length);
    expect(strings.every((text) => text.includes("Jane Austen"))).toBe(true);
  });

  it("sizes arrays by minItems, else the prompt's 'exactly N', else 3, capped by maxItems", async () => {
    const Lists = z.object({
      atLeastFour: z.array(z.string()).min(4),
      capped: z.array(z.string()).max(2),
      asked: z.array(z.object({ lines: z.array(z.string()) })),
    });
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: askFor("You are Elizabeth Bennet. Produce exactly 7 items."),
      response_format: jsonSchemaFormat("lists", z.toJSONSchema(Lists)),
    });
    const lists = Lists.parse(JSON.parse(completion.choices[0].message.content!));
    expect(lists.atLeastFour).toHaveLength(4);
    expect(lists.capped).toHaveLength(2);
    expect(lists.asked).toHaveLength(7);
    // Only the outermost lists follow the prompt's count.
    expect(lists.asked[0].lines).toHaveLength(3);
  });

  it("resolves $ref/$defs, including recursive schemas", async () => {
    const Scene = z.object({ title: z.string(), mood: z.enum(["calm", "tense"]) }).meta({ id: "Scene" });
    type Chapter = { name: string; scenes: z.infer<typeof Scene>[]; subchapters: Chapter[] };
    const Chapter: z.ZodType<Chapter> = z.object({
      name: z.string(),
      scenes: z.array(Scene).min(1),
      get subchapters() {
        return z.array(Chapter).max(1);
      },
    });
    const Book = z.object({ opening: Scene, chapters: z.array(Chapter).min(2) });
    const schema = z.toJSONSchema(Book);
    expect(JSON.stringify(schema)).toContain("$ref");

    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: askFor("Outline the book."),
      response_format: jsonSchemaFormat("book", schema),
    });
    const book = Book.parse(JSON.parse(completion.choices[0].message.content!));
    expect(book.chapters).toHaveLength(2);
  });

  it("streams structured output that parses once joined", async () => {
    const runner = client.chat.completions.stream({
      model: "gpt-4o-mini",
      messages: askFor('{"name": "Mr. Darcy"} Write exactly 2 examples.'),
      response_format: zodResponseFormat(TrainingSet, "training_set"),
    });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0].message.parsed?.examples).toHaveLength(2);
  });
});
