import { setupServer } from "msw/node";
import OpenAI, {
  APIConnectionTimeoutError,
  APIError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  toFile,
} from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createOpenAISimulator, failOnUnhandledRequest } from "../mocks/openai/simulator.ts";

const START_MS = Date.UTC(2026, 5, 1, 12, 0, 0);
const JOB_DURATION_MS = 100_000;
let nowMs = START_MS;
const advance = (milliseconds: number) => (nowMs += milliseconds);

const sim = createOpenAISimulator({ jobDurationMs: JOB_DURATION_MS, now: () => nowMs });
const server = setupServer(...sim.handlers);
// The SDK keeps the `fetch` it finds at construction, so it is built after msw has patched it.
let client: OpenAI;

beforeAll(() => {
  server.listen({ onUnhandledRequest: failOnUnhandledRequest });
  client = new OpenAI({ apiKey: "test", baseURL: "https://api.openai.com/v1", maxRetries: 0 });
});
beforeEach(() => {
  sim.reset();
  nowMs = START_MS;
});
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

function trainingJsonl(examples: number): string {
  return Array.from({ length: examples }, (_, index) =>
    JSON.stringify({
      messages: [
        { role: "system", content: "You are Jane Austen, the author of Pride and Prejudice." },
        { role: "user", content: `Question ${index}: where did Elizabeth come from?` },
        { role: "assistant", content: `Answer ${index}: from a great many evenings of watching people.` },
      ],
    })).join("\n") + "\n";
}

async function uploadTrainingFile(examples = 12) {
  return await client.files.create({
    file: await toFile(Buffer.from(trainingJsonl(examples)), "training.jsonl"),
    purpose: "fine-tune",
  });
}

async function createJob(overrides: Partial<OpenAI.FineTuning.JobCreateParams> = {}) {
  const file = await uploadTrainingFile();
  return await client.fineTuning.jobs.create({
    model: "gpt-4o-mini-2024-07-18",
    training_file: file.id,
    suffix: "author-jane",
    metadata: { storyvoice_model_id: "m-1" },
    method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 3 } } },
    ...overrides,
  });
}

async function finishedJob() {
  const job = await createJob();
  advance(JOB_DURATION_MS);
  return await client.fineTuning.jobs.retrieve(job.id);
}

describe("auth", () => {
  it("answers 401 in OpenAI's error shape without a bearer token", async () => {
    const response = await fetch("https://api.openai.com/v1/chat/completions", { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { message: expect.stringContaining("API key"), type: "invalid_request_error", param: null, code: null },
    });
  });
});

describe("files", () => {
  it("stores a fine-tuning upload and answers the file object", async () => {
    const file = await uploadTrainingFile(10);
    expect(file).toMatchObject({
      object: "file",
      id: expect.stringMatching(/^file-/),
      purpose: "fine-tune",
      filename: "training.jsonl",
      bytes: Buffer.byteLength(trainingJsonl(10)),
      status: "processed",
    });
    expect(sim.files.get(file.id)?.content).toBe(trainingJsonl(10));
    await expect(client.files.retrieve(file.id)).resolves.toMatchObject({ id: file.id, bytes: file.bytes });
  });

  it("deletes a file, after which it is not found", async () => {
    const file = await uploadTrainingFile();
    await expect(client.files.delete(file.id)).resolves.toEqual({ object: "file", id: file.id, deleted: true });
    await expect(client.files.retrieve(file.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each([
    ["a line that is not JSON", "{not json}\n"],
    ["an example without an assistant message", JSON.stringify({ messages: [{ role: "user", content: "hi" }] })],
    ["an example without messages", JSON.stringify({ prompt: "hi", completion: "there" })],
  ])("rejects %s with 400", async (_, content) => {
    const upload = client.files.create({ file: await toFile(Buffer.from(content), "bad.jsonl"), purpose: "fine-tune" });
    await expect(upload).rejects.toMatchObject({ status: 400, param: "file", code: "invalid_file_format" });
  });
});

describe("fine-tuning jobs", () => {
  it("progresses validating_files -> queued -> running -> succeeded over the job duration", async () => {
    const job = await createJob();
    expect(job).toMatchObject({
      object: "fine_tuning.job",
      id: expect.stringMatching(/^ftjob-/),
      status: "validating_files",
      fine_tuned_model: null,
      finished_at: null,
      trained_tokens: null,
      error: null,
      metadata: { storyvoice_model_id: "m-1" },
      hyperparameters: { n_epochs: 3 },
      estimated_finish: null,
    });

    advance(0.1 * JOB_DURATION_MS);
    expect((await client.fineTuning.jobs.retrieve(job.id)).status).toBe("queued");

    advance(0.2 * JOB_DURATION_MS);
    const running = await client.fineTuning.jobs.retrieve(job.id);
    expect(running.status).toBe("running");
    expect(running.estimated_finish).toBe(Math.floor((START_MS + JOB_DURATION_MS) / 1000));

    advance(0.7 * JOB_DURATION_MS);
    const done = await client.fineTuning.jobs.retrieve(job.id);
    expect(done).toMatchObject({
      status: "succeeded",
      fine_tuned_model: expect.stringMatching(/^ft:gpt-4o-mini-2024-07-18:storyvoice-sim:author-jane:[A-Za-z0-9]{8}$/),
      finished_at: Math.floor((START_MS + JOB_DURATION_MS) / 1000),
      estimated_finish: null,
    });
    expect(done.trained_tokens).toBeGreaterThan(0);
  });

  it("keeps recorded state current with the clock, without any request", async () => {
    const job = await createJob();
    advance(JOB_DURATION_MS);
    const recorded = sim.jobs.get(job.id)!;
    expect(recorded.status).toBe("succeeded");
    expect(sim.fineTunedModels.has(recorded.fine_tuned_model!)).toBe(true);
  });

  it("reports step metrics while running", async () => {
    const job = await createJob();
    advance(0.5 * JOB_DURATION_MS);
    const events = await client.fineTuning.jobs.listEvents(job.id, { limit: 50 });
    const metrics = events.data.filter((event) => event.type === "metrics");
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics[0]).toMatchObject({ object: "fine_tuning.job.event", level: "info" });
    // Twelve examples, three epochs; newest first.
    expect(metrics[0].data).toMatchObject({ step: expect.any(Number), total_steps: 36 });
    expect(events.data.at(-1)?.message).toBe(`Created fine-tuning job: ${job.id}`);
  });

  it("lists jobs newest first, filtered by metadata, a page at a time", async () => {
    const first = await createJob({ metadata: { book: "emma" } });
    const second = await createJob({ metadata: { book: "persuasion" } });
    const third = await createJob({ metadata: { book: "emma" } });

    const emma = await client.fineTuning.jobs.list({ metadata: { book: "emma" } });
    expect(emma.data.map((job) => job.id)).toEqual([third.id, first.id]);

    const page = await client.fineTuning.jobs.list({ limit: 2 });
    expect(page.data.map((job) => job.id)).toEqual([third.id, second.id]);
    expect(page.has_more).toBe(true);
    const all: string[] = [];
    for await (const job of client.fineTuning.jobs.list({ limit: 1 })) all.push(job.id);
    expect(all).toEqual([third.id, second.id, first.id]);
  });

  it("cancels a running job, and refuses to cancel it twice", async () => {
    const job = await createJob();
    advance(0.5 * JOB_DURATION_MS);
    await expect(client.fineTuning.jobs.cancel(job.id)).resolves.toMatchObject({ status: "cancelled" });
    advance(JOB_DURATION_MS);
    const later = await client.fineTuning.jobs.retrieve(job.id);
    expect(later).toMatchObject({ status: "cancelled", fine_tuned_model: null });
    await expect(client.fineTuning.jobs.cancel(job.id)).rejects.toBeInstanceOf(BadRequestError);
    const events = await client.fineTuning.jobs.listEvents(job.id);
    expect(events.data[0].message).toBe("Fine-tuning job cancelled");
  });

  it("fails the next job when told to, and only that one", async () => {
    sim.failNextJob({ message: "Simulated training crash." });
    const failed = await finishedJob();
    expect(failed).toMatchObject({
      status: "failed",
      fine_tuned_model: null,
      error: { code: expect.any(String), message: "Simulated training crash.", param: null },
    });
    expect((await finishedJob()).status).toBe("succeeded");
  });

  it("can end the next job cancelled", async () => {
    sim.failNextJob({ status: "cancelled" });
    expect((await finishedJob()).status).toBe("cancelled");
  });

  it("fails a job whose file has fewer than 10 examples during validation", async () => {
    const file = await uploadTrainingFile(5);
    const job = await client.fineTuning.jobs.create({ model: "gpt-4o-mini-2024-07-18", training_file: file.id });
    advance(0.1 * JOB_DURATION_MS);
    await expect(client.fineTuning.jobs.retrieve(job.id)).resolves.toMatchObject({
      status: "failed",
      error: { code: "invalid_training_file", param: "training_file", message: expect.stringContaining("at least 10") },
    });
  });

  it("rejects a job for a file that does not exist", async () => {
    const creation = client.fineTuning.jobs.create({ model: "gpt-4o-mini", training_file: "file-missing" });
    await expect(creation).rejects.toMatchObject({ status: 400, param: "training_file" });
  });

  it("answers 404 for an unknown job", async () => {
    await expect(client.fineTuning.jobs.retrieve("ftjob-unknown")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses every job creation once fine-tuning is closed (403 by default)", async () => {
    sim.refuseFineTuning();
    const error = await createJob().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as APIError).message).toMatch(/fine-tuning/i);
  });

  it("refuses with the status asked for", async () => {
    sim.refuseFineTuning({ status: 404, message: "Not available." });
    await expect(createJob()).rejects.toMatchObject({ status: 404, error: { message: "Not available." } });
  });
});

describe("models", () => {
  it("serves the model a job produced, and deletes it", async () => {
    const modelId = (await finishedJob()).fine_tuned_model!;
    await expect(client.models.retrieve(modelId)).resolves.toMatchObject({ id: modelId, object: "model" });
    await expect(client.models.delete(modelId)).resolves.toEqual({ id: modelId, object: "model", deleted: true });
    expect(sim.fineTunedModels.has(modelId)).toBe(false);
    await expect(client.models.retrieve(modelId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("answers 404 for an unknown model", async () => {
    await expect(client.models.delete("ft:gpt-4o-mini:other:x:y")).rejects.toBeInstanceOf(NotFoundError);
  });
});

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

describe("injected faults", () => {
  const chat = () =>
    client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });

  it("answers 429 rate_limit_error the given number of times, then recovers", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "status", status: 429, times: 2 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await chat().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ type: "rate_limit_error" });
    }
    await expect(chat()).resolves.toMatchObject({ object: "chat.completion" });
    expect(sim.chatRequests).toHaveLength(3);
  });

  it("answers 5xx as server_error", async () => {
    sim.inject({ path: /\/fine_tuning\/jobs$/, method: "POST", kind: "status", status: 500 });
    const error = await createJob().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, type: "server_error" });
  });

  it("only hits the method it names", async () => {
    sim.inject({ path: "/v1/chat/completions", method: "GET", kind: "status", status: 503 });
    await expect(chat()).resolves.toMatchObject({ object: "chat.completion" });
  });

  it("answers a malformed body with status 200", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "malformed" });
    const error = await chat().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(APIError);
  });

  it("hangs until the client gives up, and then clears its timer", async () => {
    const setTimer = vi.spyOn(globalThis, "setTimeout");
    const clearTimer = vi.spyOn(globalThis, "clearTimeout");
    sim.inject({ path: "/v1/chat/completions", kind: "timeout" });
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, { timeout: 100 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);

    const hangIndex = setTimer.mock.calls.findIndex(([, delay]) => delay === 60_000);
    expect(hangIndex).toBeGreaterThanOrEqual(0);
    const hangTimer = setTimer.mock.results[hangIndex].value;
    await vi.waitFor(() => expect(clearTimer).toHaveBeenCalledWith(hangTimer), { timeout: 1_000 });
  });

  it("answers normally after a short hang", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "timeout", delayMs: 30 });
    await expect(chat()).resolves.toMatchObject({ object: "chat.completion" });
  });
});

describe("latency and reset", () => {
  it("delays every response by latencyMs", async () => {
    const slow = createOpenAISimulator({ latencyMs: 80 });
    server.use(...slow.handlers);
    const started = performance.now();
    await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    expect(slow.chatRequests).toHaveLength(1);
  });

  it("reset forgets files, jobs, models, requests, faults and refusals", async () => {
    const modelId = (await finishedJob()).fine_tuned_model!;
    sim.retireModel("gpt-4o-mini");
    sim.refuseFineTuning();
    sim.inject({ path: "/v1/files", kind: "status", status: 500, times: 5 });
    sim.reset();
    expect([sim.files.size, sim.jobs.size, sim.fineTunedModels.size, sim.chatRequests.length]).toEqual([0, 0, 0, 0]);
    expect(sim.fineTunedModels.has(modelId)).toBe(false);
    await expect(createJob()).resolves.toMatchObject({ status: "validating_files" });
    await expect(client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }))
      .resolves.toMatchObject({ object: "chat.completion" });
  });
});
