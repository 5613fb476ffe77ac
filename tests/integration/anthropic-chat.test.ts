import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import chat from "../../functions/fine-tune-chat/handler.ts";
import { resetAnthropic } from "../../shared/providers/anthropic/client.ts";
import { forgetCatalogue } from "../../shared/providers/catalogue.ts";
import { askTeacherForJson, teacherAvailable } from "../../shared/providers/teacher.ts";
import { createAnthropicSimulator } from "../../supabase/local/anthropic-simulator/simulator.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { chatRequest, chatRows, configure, NEVER_DUE, send, STYLE_GUIDE } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { parseEventStream } from "../support/sse.ts";
import { createUser } from "../support/stack.ts";
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

describe("chat on Anthropic", () => {
  it("the fallback answers with Claude: system prompt apart, max_tokens and temperature as the model takes", async () => {
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);

    const { status, json } = await send(alice, modelId, { message: "What is the engine for?", temperature: 0.4, maxTokens: 300 });

    expect(status).toBe(200);
    expect(json).toMatchObject({ success: true, usingFallback: true });
    expect(json.response).toContain("As Ada Byron");
    expect(anthropicSim.requests).toHaveLength(1);
    expect(anthropicSim.requests[0]).toMatchObject({ model: "claude-sonnet-4-5", max_tokens: 300, temperature: 0.4 });
    expect(anthropicSim.requests[0].system).toContain(STYLE_GUIDE);
    expect(openAISim.chatRequests).toHaveLength(0);
    expect((await chatRows({ modelId }))[0]).toMatchObject({ used_fallback: true, model_used: "claude-sonnet-4-5" });
  });

  it("a model that refuses temperature is not sent one", async () => {
    useAnthropic({ CHAT_MODEL: "claude-opus-4-7" });
    const alice = await createUser("alice");
    const modelId = await pendingModel(alice.id);

    const { status } = await send(alice, modelId, { message: "Hello", temperature: 0.9 });

    expect(status).toBe(200);
    expect(anthropicSim.requests[0]).toMatchObject({ model: "claude-opus-4-7" });
    expect(anthropicSim.requests[0]).not.toHaveProperty("temperature");
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
    expect(anthropicSim.requests.map((request) => request.model)).toEqual(["claude-sonnet-4-5"]);
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
      model: "claude-sonnet-4-5",
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
