import Anthropic from "@anthropic-ai/sdk";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import chat from "../../functions/fine-tune-chat/handler.ts";
import transcript from "../../functions/fine-tune-transcript/handler.ts";
import { DEFAULT_CHAT_MODELS } from "../../shared/env.ts";
import { OPENING_CUE } from "../../shared/providers/anthropic/messages.ts";
import { resetAnthropic } from "../../shared/providers/anthropic/client.ts";
import { refreshCatalogue } from "../../shared/catalogue/refresh.ts";
import { forgetCatalogue, readCatalogue } from "../../shared/catalogue/current.ts";
import { chatFallbackModel, configuredModelWarnings } from "../../shared/catalogue/model-choice.ts";
import { askTeacherForJson, teacherAvailable } from "../../shared/catalogue/teacher.ts";
import { createAnthropicSimulator } from "../../supabase/local/anthropic-simulator/simulator.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { chatRequest, chatRows, configure, NEVER_DUE, send, STYLE_GUIDE } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { parseEventStream } from "../support/sse.ts";
import { sendGroup } from "../support/group-chat-harness.ts";
import { sillyTavernFixture } from "../support/sillytavern-chat.ts";
import { adminSql, createUser } from "../support/stack.ts";
import { TEST_TODAY } from "../support/test-day.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// CHAT_PROVIDER=anthropic: the persona fallback and the teacher on the Anthropic simulator, through
// the real handler on the suite's own database; fine-tunes keep talking to the provider that trained them.

const anthropicSim = createAnthropicSimulator();
const openAISim = createOpenAISimulator();
const server = setupServer(...anthropicSim.handlers, ...openAISim.handlers);

useSuiteDatabase();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  anthropicSim.reset();
  openAISim.reset();
  useAnthropic();
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function useAnthropic(overrides: Record<string, string | undefined> = {}) {
  configure({
    CHAT_PROVIDER: "anthropic",
    CHAT_MODEL: undefined,
    TEACHER_MODEL: undefined,
    ANTHROPIC_API_KEY: "sk-ant-test-key",
    ANTHROPIC_BASE_URL: "https://api.anthropic.com",
    ...overrides,
  });
  resetAnthropic();
  forgetCatalogue();
}

async function pendingModel(ownerId: string) {
  return await insertModel(ownerId, { status: "pending", next_check_at: NEVER_DUE, style_description: STYLE_GUIDE, entity_name: "Ada Byron" });
}

const SONNET = DEFAULT_CHAT_MODELS.anthropic;
type SentTurn = { role: string; content: string };

/** The turns of every request Anthropic was sent: each must start with the user and alternate. */
function sentTurns(): SentTurn[][] {
  return anthropicSim.requests.map((request) => request.messages as SentTurn[]);
}

function expectUserFirstAndAlternating(turns: SentTurn[]) {
  expect(turns[0].role).toBe("user");
  for (let i = 1; i < turns.length; i++) expect(turns[i].role, `turn ${i}`).not.toBe(turns[i - 1].role);
}

describe("chat on Anthropic", () => {
  it("the fallback answers with the default Claude: system prompt apart, max_tokens, and no temperature (API 2026-10-21 refuses it)", async () => {
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);

    const { status, json } = await send(alice, modelId, { message: "What is the engine for?", temperature: 1.7, maxTokens: 300 });

    expect(status).toBe(200);
    expect(json).toMatchObject({ success: true, usingFallback: true });
    expect(json.response).toContain("As Ada Byron");
    expect(anthropicSim.requests).toHaveLength(1);
    expect(anthropicSim.requests[0]).toMatchObject({ model: "claude-sonnet-5-5", max_tokens: 300 });
    expect(anthropicSim.requests[0]).not.toHaveProperty("temperature");
    expect(anthropicSim.requests[0].system).toContain(STYLE_GUIDE);
    expect(openAISim.chatRequests).toHaveLength(0);
    expect((await chatRows({ modelId }))[0]).toMatchObject({ used_fallback: true, model_used: "claude-sonnet-5-5" });
  });

  it("a configured Claude model is asked by name, with no temperature either", async () => {
    useAnthropic({ CHAT_MODEL: "claude-opus-4-7" });
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);

    const { status } = await send(alice, modelId, { message: "Hello", temperature: 0.9 });

    expect(status).toBe(200);
    expect(anthropicSim.requests[0]).toMatchObject({ model: "claude-opus-4-7" });
    expect(anthropicSim.requests[0]).not.toHaveProperty("temperature");
  });

  it("a persona with a greeting: the conversation goes user first, the greeting as the persona's own turn, then and later", async () => {
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);
    await adminSql()`update private.fine_tuned_models set greeting = 'Good evening. Shall we talk of engines?' where id = ${modelId}`;

    const first = await send(alice, modelId, { message: "Yes, please." });
    const second = await send(alice, modelId, { message: "And poetry?", conversationId: first.json.conversationId });

    expect([first.status, second.status]).toEqual([200, 200]);
    const [opening, later] = sentTurns();
    expect(opening).toEqual([
      { role: "user", content: OPENING_CUE },
      { role: "assistant", content: "Good evening. Shall we talk of engines?" },
      { role: "user", content: "Yes, please." },
    ]);
    expectUserFirstAndAlternating(later);
    expect(later.at(-1)).toEqual({ role: "user", content: "And poetry?" });
    expect(await chatRows({ modelId })).toHaveLength(2);
  });

  it("a conversation opens with its own opening: the greeting it began with, or an imported chat's greeting", async () => {
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);
    await adminSql()`update private.fine_tuned_models set greeting = 'Good evening.' where id = ${modelId}`;
    const begun = await send(alice, modelId, { message: "Hello." });
    await adminSql()`update private.fine_tuned_models set greeting = 'Good morning.' where id = ${modelId}`;
    const imported = await transcript(new Request("http://localhost/functions/v1/fine-tune-transcript", {
      method: "POST",
      headers: { Authorization: `Bearer ${alice.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ modelId, transcript: sillyTavernFixture("sillytavern-2024.jsonl") }),
    }));
    const { conversationId } = await imported.json();

    await send(alice, modelId, { message: "Again.", conversationId: begun.json.conversationId });
    await send(alice, modelId, { message: "Shall we?", conversationId });

    const [, again, resumed] = sentTurns();
    for (const turns of [again, resumed]) expectUserFirstAndAlternating(turns);
    expect(again.slice(0, 3)).toEqual([
      { role: "user", content: OPENING_CUE },
      { role: "assistant", content: "Good evening." },
      { role: "user", content: "Hello." },
    ]);
    expect(resumed.slice(0, 3)).toEqual([
      { role: "user", content: OPENING_CUE },
      { role: "assistant", content: "You find me at Netherfield, walking the long way round the shrubbery." },
      { role: "user", content: "Do you dance, Miss Bennet?" },
    ]);
  });

  it("group chat: every persona's request starts with the user and alternates, in the first round and the next", async () => {
    const alice = await createUser("alice");
    const modelIds = [
      await insertModel(alice.id, { type: "character", entity_name: "Elizabeth Bennet", style_description: "You are Elizabeth Bennet." }),
      await insertModel(alice.id, { type: "character", entity_name: "Fitzwilliam Darcy", style_description: "You are Fitzwilliam Darcy." }),
    ];

    const first = await sendGroup(alice, { modelIds, message: "What did you make of the ball?", strategy: "list" });
    const second = await sendGroup(alice, { conversationId: first.json.conversationId, modelIds, message: "And now?", strategy: "list" });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.json.replies.map((reply: { usingFallback: boolean }) => reply.usingFallback)).toEqual([true, true]);
    expect(anthropicSim.requests).toHaveLength(4);
    for (const turns of sentTurns()) expectUserFirstAndAlternating(turns);
    // Darcy's second-round prompt: the reader's and Elizabeth's messages before his reply went as one user turn.
    expect(sentTurns()[3].at(-1)!.content).toMatch(/\[Reader\] And now\?\n\n\[Elizabeth Bennet\]/);
  });

  it("streams: deltas as Claude writes, then done once stored", async () => {
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);

    const response = await chat(chatRequest(alice, modelId, { message: "Tell me a story", stream: true }));
    const events = parseEventStream(await response.text());

    expect(response.status).toBe(200);
    const deltas = events.filter((event) => event.event === "delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.at(-1)).toMatchObject({ event: "done", data: { usingFallback: true, messageOrder: 1 } });
    const [row] = await chatRows({ modelId });
    expect(row.ai_response).toBe(deltas.map((event) => event.data.text).join(""));
    expect(row.tokens_used).toBeGreaterThan(0);
  });

  it("a stream that breaks off with an error event stores nothing", async () => {
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);
    anthropicSim.breakNextStream();

    const response = await chat(chatRequest(alice, modelId, { message: "Go on", stream: true }));
    const events = parseEventStream(await response.text());

    expect(events.at(-1)).toMatchObject({ event: "error", data: { retryable: true } });
    expect(await chatRows({ modelId })).toHaveLength(0);
  });

  it.each([
    [529, 502],
    [500, 502],
    [429, 503],
    [401, 502],
  ])("an Anthropic %i is a %i with retryable: true and nothing stored", async (upstream, expected) => {
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);
    anthropicSim.failNext({ status: upstream, times: 3 });

    const { status, json } = await send(alice, modelId, { message: "Anyone?" });

    expect(status).toBe(expected);
    expect(json).toMatchObject({ success: false, error: { retryable: true } });
    expect(await chatRows({ modelId })).toHaveLength(0);
  });

  it("a validation failure is still a 422, before any provider is asked", async () => {
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);

    const { status } = await send(alice, modelId, { message: "" });

    expect(status).toBe(422);
    expect(anthropicSim.requests).toHaveLength(0);
  });

  it("without a token: 401, nothing asked", async () => {
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);

    const { status } = await send(null, modelId, { message: "Hello" });

    expect(status).toBe(401);
    expect(anthropicSim.requests).toHaveLength(0);
  });

  it("a persona's OpenAI fine-tune is still asked at OpenAI; its fallback is Claude", async () => {
    const alice = await createUser("alice");
    const fineTune = `ft:gpt-4.1-mini-2025-04-14:storyvoice:sv-${crypto.randomUUID().slice(0, 8)}:AbCd1234`;
    openAISim.fineTunedModels.add(fineTune);
    const modelId = await insertModel(alice.id, {
      status: "completed",
      openai_model_id: fineTune,
      base_model: "gpt-4.1-mini-2025-04-14",
      style_description: STYLE_GUIDE,
      entity_name: "Ada Byron",
    });

    const first = await send(alice, modelId, { message: "Hello" });
    expect(first.json.usingFallback).toBe(false);
    expect(openAISim.chatRequests.map((request) => request.model)).toEqual([fineTune]);

    openAISim.retireModel(fineTune);
    const second = await send(alice, modelId, { message: "Hello again" });
    expect(second.json.usingFallback).toBe(true);
    expect(anthropicSim.requests.map((request) => request.model)).toEqual([SONNET]);
  });
});

describe("the teacher on Anthropic", () => {
  const answerSchema = z.object({ questions: z.array(z.string().min(1)).min(3).max(5) });

  it("asks for the schema as a forced tool call and validates the tool's input with zod", async () => {
    expect(teacherAvailable()).toBe(true);

    const value = await askTeacherForJson({
      purpose: "starter prompts",
      schemaName: "starter_prompts",
      responseSchema: answerSchema,
      messages: [
        { role: "system", content: "You are a careful editor." },
        { role: "user", content: "Write 4 questions a reader would ask Ada Byron." },
      ],
      maxCompletionTokens: 800,
    });

    expect(answerSchema.parse(value).questions.length).toBeGreaterThanOrEqual(3);
    const [request] = anthropicSim.requests;
    expect(request).toMatchObject({
      model: SONNET,
      max_tokens: 800,
      tool_choice: { type: "tool", name: "starter_prompts" },
      system: "You are a careful editor.",
    });
    expect((request.tools as { input_schema: { type: string } }[])[0].input_schema.type).toBe("object");
  });

  it("without ANTHROPIC_API_KEY there is no teacher (personas use their built-in texts)", () => {
    useAnthropic({ ANTHROPIC_API_KEY: undefined });
    expect(teacherAvailable()).toBe(false);
  });

  it("an overloaded Anthropic is a retryable provider failure, not a bad answer", async () => {
    anthropicSim.failNext({ status: 529, times: 3 });
    await expect(askTeacherForJson({
      purpose: "starter prompts",
      schemaName: "starter_prompts",
      responseSchema: answerSchema,
      messages: [{ role: "user", content: "Write 4 questions." }],
      maxCompletionTokens: 800,
    })).rejects.toMatchObject({ name: "ProviderError", kind: "server", retryable: true });
  });
});

describe("Anthropic's models from its live list", () => {
  const testDay = new Date(TEST_TODAY);

  it("a configured retired model (claude-sonnet-4-5) is never sent: the newest of its family answers, and it is reported", async () => {
    useAnthropic({ CHAT_MODEL: "claude-sonnet-4-5" });
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);

    const { status } = await send(alice, modelId, { message: "Hello" });

    expect(status).toBe(200);
    expect(anthropicSim.requests.map((request) => request.model)).toEqual([SONNET]);
    expect(configuredModelWarnings(await readCatalogue(), testDay)).toContainEqual(expect.objectContaining({
      setting: "CHAT_MODEL",
      model: "claude-sonnet-4-5",
      shutdownDate: "2026-11-30",
      replacement: SONNET,
    }));
  });

  it("a default gone from the list is dated at the refresh, never sent, and the newest live model of its family takes over", async () => {
    await adminSql()`delete from private.model_catalogue where provider = 'anthropic' and model_id = 'claude-sonnet-5'`;
    expect(await refreshCatalogue({ force: true })).toMatchObject({ refreshed: expect.arrayContaining(["anthropic"]), failed: [] });
    expect(await chatFallbackModel(testDay)).toMatchObject({ provider: "anthropic", model: SONNET });

    anthropicSim.retireModel(SONNET);
    await refreshCatalogue({ force: true });
    forgetCatalogue();

    expect((await readCatalogue()).entry("anthropic", SONNET)).toMatchObject({ shutdownSource: "unlisted", shutdownDate: "2026-12-15" });
    expect(await chatFallbackModel(testDay)).toMatchObject({ model: "claude-sonnet-5" });
    expect(configuredModelWarnings(await readCatalogue(), testDay)).toContainEqual({
      setting: "CHAT_MODEL",
      provider: "anthropic",
      model: SONNET,
      shutdownDate: "2026-12-15",
      daysLeft: 0,
      unlisted: true,
      replacement: "claude-sonnet-5",
    });
    const alice = await createUser("alice");
    const { status } = await send(alice, await pendingModel(alice.id), { message: "Still there?" });
    expect(status).toBe(200);
    expect(anthropicSim.requests.map((request) => request.model)).toEqual(["claude-sonnet-5"]);

    // Listed again: alive again.
    anthropicSim.reset();
    await refreshCatalogue({ force: true });
    forgetCatalogue();
    expect(await chatFallbackModel(testDay)).toMatchObject({ model: SONNET });
  });
});

describe("the Anthropic simulator refuses what the Messages API refuses", () => {
  const client = () => new Anthropic({ apiKey: "sk-ant-test-key", baseURL: "https://api.anthropic.com", maxRetries: 0 });

  async function rawMessages(body: Record<string, unknown>, version = "2026-10-21") {
    const response = await fetch("https://api.anthropic.com/v1/messages", {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "sk-ant-test-key", "anthropic-version": version },
      body: JSON.stringify({ model: SONNET, max_tokens: 50, messages: [{ role: "user", content: "Hi" }], ...body }),
    });
    return { status: response.status, body: await response.json() };
  }

  it("a retired or unknown model: 404 not_found_error, as Anthropic words it", async () => {
    const error = await client().messages.create({ model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "user", content: "Hi" }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: "error",
      error: { type: "not_found_error", message: "model: claude-sonnet-4-5" },
    });
  });

  it("a conversation that opens with the assistant: 400, first message must use the user role", async () => {
    const { status, body } = await rawMessages({ messages: [{ role: "assistant", content: "Hello" }, { role: "user", content: "Hi" }] });
    expect(status).toBe(400);
    expect(body).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: 'messages: first message must use the "user" role' } });
  });

  it("temperature: refused outright on API 2026-10-21; on 2023-06-01, outside 0-1", async () => {
    expect(await rawMessages({ temperature: 0.5 })).toMatchObject({
      status: 400,
      body: { error: { type: "invalid_request_error", message: "temperature: Extra inputs are not permitted" } },
    });
    expect(await rawMessages({ model: "claude-haiku-4-5", temperature: 1.5 }, "2023-06-01")).toMatchObject({
      status: 400,
      body: { error: { type: "invalid_request_error", message: "temperature: Input should be less than or equal to 1" } },
    });
    expect((await rawMessages({ model: "claude-haiku-4-5", temperature: 0.5 }, "2023-06-01")).status).toBe(200);
  });

  it("lists the current models, and the retired only when asked", async () => {
    const listed: string[] = [];
    for await (const model of client().models.list()) listed.push(model.id);
    expect(listed).toContain(SONNET);
    expect(listed).not.toContain("claude-sonnet-4-5");
    const retired: string[] = [];
    for await (const model of client().models.list({ lifecycle: ["retired"] })) retired.push(model.id);
    expect(retired).toEqual(["claude-sonnet-4-5"]);
  });
});
