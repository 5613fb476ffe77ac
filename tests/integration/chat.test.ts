import { createServer } from "node:net";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import { nextQuotaReset } from "../../shared/chat/quota.ts";
import { type Exchange, personaGuard } from "../../shared/chat/prompt.ts";
import { closeDatabase } from "../../shared/db/client.ts";
import { resetOpenAI } from "../../shared/providers/openai-client.ts";
import { createOpenAISimulator } from "../mocks/openai/simulator.ts";
import { insertModel } from "../support/models.ts";
import { joinedDeltas, readEventStream } from "../support/sse.ts";
import { adminSql, closeAdminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";

// POST /fine-tune-chat in-process: the real handler on the stack's Postgres (RLS, triggers), with
// the provider answered by this file's own OpenAI simulator through msw.

const sim = createOpenAISimulator();
const server = setupServer(...sim.handlers);

/** The persona fallback's base model; not the default, so the test sees the setting is honoured. */
const FALLBACK_MODEL = "gpt-4.1-nano-2025-04-14";
const STYLE_GUIDE = "You are Ada Byron, the author of Engines. Speak in long, precise sentences.";
const CHAT_URL = "https://api.openai.com/v1/chat/completions";
/** Keeps pending/training arrangements away from the stack's scheduled training sync. */
const NEVER_DUE = "2100-01-01T00:00:00Z";

function configure(overrides: Record<string, string | undefined> = {}) {
  useStackEnvironment({
    CHAT_MODEL: FALLBACK_MODEL,
    OPENAI_TIMEOUT_MS: "5000",
    DAILY_CHAT_QUOTA: undefined,
    CHAT_HISTORY_TOKEN_BUDGET: undefined,
    ...overrides,
  });
  resetOpenAI();
}

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  sim.reset();
  configure();
});
afterEach(() => server.resetHandlers());
afterAll(async () => {
  server.close();
  await closeDatabase();
  await closeAdminSql();
});

function chatRequest(user: TestUser | null, modelId: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`http://localhost/functions/v1/fine-tune-chat/${modelId}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(user ? { Authorization: `Bearer ${user.token}` } : {}),
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function send(user: TestUser | null, modelId: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await chat(chatRequest(user, modelId, body, headers));
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) };
}

/** A model in `completed` state whose fine-tune the simulator knows. */
async function completedModel(ownerId: string, fields: Parameters<typeof insertModel>[1] = {}) {
  const fineTune = `ft:gpt-4.1-mini-2025-04-14:storyvoice:sv-${crypto.randomUUID().slice(0, 8)}:AbCd1234`;
  sim.fineTunedModels.add(fineTune);
  const id = await insertModel(ownerId, {
    status: "completed",
    openai_model_id: fineTune,
    style_description: STYLE_GUIDE,
    entity_name: "Ada Byron",
    ...fields,
  });
  return { id, fineTune };
}

async function chatRows(where: { modelId?: string; userId?: string; conversationId?: string }) {
  const sql = adminSql();
  return await sql<{
    user_id: string;
    model_id: string;
    conversation_id: string;
    message_order: number;
    user_message: string;
    assistant_response: string;
    tokens_used: number;
    response_time_ms: number;
    used_fallback: boolean;
    model_used: string;
    created_at: Date;
  }[]>`
    select user_id, model_id, conversation_id, message_order, user_message, assistant_response,
           tokens_used, response_time_ms, used_fallback, model_used, created_at
    from public.fine_tuned_chats
    where true
      ${where.modelId ? sql`and model_id = ${where.modelId}` : sql``}
      ${where.userId ? sql`and user_id = ${where.userId}` : sql``}
      ${where.conversationId ? sql`and conversation_id = ${where.conversationId}` : sql``}
    order by conversation_id, message_order`;
}

async function modelRow(modelId: string) {
  const [row] = await adminSql()<{
    chat_count: number;
    last_used_at: Date | null;
    fine_tuned_model_retired_at: Date | null;
    status: string;
    error: string | null;
  }[]>`
    select chat_count, last_used_at, fine_tuned_model_retired_at, status, error
    from public.fine_tuned_models where id = ${modelId}`;
  return row;
}

/** Stores earlier exchanges directly (arrangement), in order, as one conversation of `user`. */
async function arrangeConversation(user: TestUser, modelId: string, exchanges: Exchange[]) {
  const conversationId = crypto.randomUUID();
  await adminSql().begin(async (tx) => {
    for (const exchange of exchanges) {
      await tx`
        insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, assistant_response)
        values (${modelId}, ${user.id}, ${conversationId}, ${exchange.user}, ${exchange.assistant})`;
    }
  });
  return conversationId;
}

const requestedModels = () => sim.chatRequests.map((request) => request.model);

/** OpenAI's chat.completion.chunk framing, for handlers that stream differently from the simulator. */
function completionChunk(delta: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return `data: ${JSON.stringify({
    id: "chatcmpl-test",
    object: "chat.completion.chunk",
    created: 1_780_000_000,
    model: FALLBACK_MODEL,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
    ...extra,
  })}\n\n`;
}

describe("chat: a turn answered and stored", () => {
  it("answers a new conversation in persona mode and stores the exchange as the user", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready", entity_name: "Ada Byron", style_description: STYLE_GUIDE });

    const { status, json } = await send(alice, modelId, { message: "Where did the idea for the engine come from?" });

    expect(status).toBe(200);
    expect(Object.keys(json)[0]).toBe("success");
    expect(json).toEqual({
      success: true,
      response: expect.stringContaining("As Ada Byron"),
      conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tokensUsed: expect.any(Number),
      usingFallback: true,
      messageOrder: 1,
    });
    expect(json.tokensUsed).toBeGreaterThan(0);

    const [row] = await chatRows({ modelId });
    expect(row).toMatchObject({
      user_id: alice.id,
      conversation_id: json.conversationId,
      message_order: 1,
      user_message: "Where did the idea for the engine come from?",
      assistant_response: json.response,
      tokens_used: json.tokensUsed,
      used_fallback: true,
      model_used: FALLBACK_MODEL,
    });
    expect(row.response_time_ms).toBeGreaterThanOrEqual(0);

    const model = await modelRow(modelId);
    expect(model.chat_count).toBe(1);
    expect(model.last_used_at?.getTime()).toBe(row.created_at.getTime());
  });

  it("sends the style guide with the persona guard, the message last, and the default sampling settings", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready", entity_name: "Ada Byron", style_description: STYLE_GUIDE });

    await send(alice, modelId, { message: "Hello there" });

    expect(sim.chatRequests).toHaveLength(1);
    expect(sim.chatRequests[0]).toMatchObject({
      model: FALLBACK_MODEL,
      messages: [
        { role: "system", content: `${STYLE_GUIDE}\n\n${personaGuard("Ada Byron")}` },
        { role: "user", content: "Hello there" },
      ],
      temperature: 0.8,
      max_tokens: 600,
    });
  });

  it("passes the caller's temperature and maxTokens to the provider", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });

    const { status } = await send(alice, modelId, { message: "Be brief", temperature: 0, maxTokens: 16 });

    expect(status).toBe(200);
    expect(sim.chatRequests[0]).toMatchObject({ temperature: 0, max_tokens: 16 });
  });

  it("a model without a style guide yet speaks from its persona, guard included", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, {
      status: "pending",
      next_check_at: NEVER_DUE,
      type: "character",
      entity_name: "Captain Nemo",
    });
    await adminSql()`update public.fine_tuned_models set style_description = null where id = ${modelId}`;

    const { status, json } = await send(alice, modelId, { message: "Who are you?" });

    expect(status).toBe(200);
    expect(json.usingFallback).toBe(true);
    const system = (sim.chatRequests[0].messages as { role: string; content: string }[])[0];
    expect(system.role).toBe("system");
    expect(system.content).toContain("Captain Nemo");
    expect(system.content.endsWith(personaGuard("Captain Nemo"))).toBe(true);
  });

  it("accepts a message of exactly 4000 characters", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const message = "x".repeat(4000);

    const { status } = await send(alice, modelId, { message });

    expect(status).toBe(200);
    expect((await chatRows({ modelId }))[0].user_message).toBe(message);
  });

  it("50 concurrent messages in one conversation get orders 1..51, gap-free, and chat_count counts them all", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const opening = await send(alice, modelId, { message: "Opening message" });
    expect(opening.status).toBe(200);
    const { conversationId } = opening.json;

    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => send(alice, modelId, { message: `Concurrent message ${i}`, conversationId })),
    );

    expect(replies.map((reply) => reply.status)).toEqual(Array(50).fill(200));
    expect(replies.every((reply) => reply.json.conversationId === conversationId)).toBe(true);
    expect(replies.map((reply) => reply.json.messageOrder).sort((a, b) => a - b))
      .toEqual(Array.from({ length: 50 }, (_, i) => i + 2));

    const rows = await chatRows({ conversationId });
    expect(rows.map((row) => row.message_order)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    // Each answer reported the order its row was stored with.
    const orderOf = new Map(rows.map((row) => [row.user_message, row.message_order]));
    replies.forEach((reply, i) => expect(orderOf.get(`Concurrent message ${i}`)).toBe(reply.json.messageOrder));

    const [{ count }] = await adminSql()<{ count: number }[]>`
      select count(*)::int as count from public.fine_tuned_chats where model_id = ${modelId}`;
    expect(count).toBe(51);
    expect((await modelRow(modelId)).chat_count).toBe(51);
  });
});

describe("chat: which model answers", () => {
  it.each(["pending", "training", "failed", "ready"])("a %s model answers with the fallback base model", async (status) => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status, next_check_at: NEVER_DUE });

    const { json } = await send(alice, modelId, { message: "Are you there?" });

    expect(json).toMatchObject({ success: true, usingFallback: true });
    expect(requestedModels()).toEqual([FALLBACK_MODEL]);
    expect((await chatRows({ modelId }))[0]).toMatchObject({ used_fallback: true, model_used: FALLBACK_MODEL });
  });

  it("a completed model answers with its own fine-tune, with the same prompt", async () => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);

    const { status, json } = await send(alice, modelId, { message: "Tell me about the engine" });

    expect(status).toBe(200);
    expect(json.usingFallback).toBe(false);
    expect(json.response).toContain("As Ada Byron");
    expect(requestedModels()).toEqual([fineTune]);
    expect((sim.chatRequests[0].messages as { content: string }[])[0].content).toContain(STYLE_GUIDE);
    expect((await chatRows({ modelId }))[0]).toMatchObject({ used_fallback: false, model_used: fineTune });
    expect((await modelRow(modelId)).fine_tuned_model_retired_at).toBeNull();
  });

  it("a retired fine-tune falls back in the same request, is recorded, and is not asked again", async () => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    sim.retireModel(fineTune);

    const first = await send(alice, modelId, { message: "Still there?" });

    expect(first.status).toBe(200);
    expect(first.json.usingFallback).toBe(true);
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
    const model = await modelRow(modelId);
    expect(model.fine_tuned_model_retired_at).toBeInstanceOf(Date);
    expect(model.status).toBe("completed");
    expect(model.error).toMatch(/retired/);
    expect((await chatRows({ modelId }))[0]).toMatchObject({ used_fallback: true, model_used: FALLBACK_MODEL });

    const second = await send(alice, modelId, { message: "And now?", conversationId: first.json.conversationId });

    expect(second.json).toMatchObject({ usingFallback: true, messageOrder: 2 });
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL, FALLBACK_MODEL]);
    // The first retirement time is kept.
    expect((await modelRow(modelId)).fine_tuned_model_retired_at).toEqual(model.fine_tuned_model_retired_at);
  });

  it.each([429, 500, 503])("a %i from the fine-tune is answered by the fallback, and the fine-tune is kept", async (status) => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status, times: 1 });

    const { status: answered, json } = await send(alice, modelId, { message: "Hello?" });

    expect(answered).toBe(200);
    expect(json.usingFallback).toBe(true);
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
    expect((await modelRow(modelId)).fine_tuned_model_retired_at).toBeNull();

    // A passing failure does not retire the fine-tune: the next turn uses it again.
    const next = await send(alice, modelId, { message: "Again", conversationId: json.conversationId });
    expect(next.json.usingFallback).toBe(false);
  });

  it("a fine-tune that times out is answered by the fallback", async () => {
    configure({ OPENAI_TIMEOUT_MS: "300" });
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "timeout", delayMs: 3000, times: 1 });

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(200);
    expect(json.usingFallback).toBe(true);
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
  });
});

describe("chat: the provider down", () => {
  async function expectNothingStored(modelId: string) {
    expect(await chatRows({ modelId })).toEqual([]);
    expect((await modelRow(modelId)).chat_count).toBe(0);
  }

  it("500 from the fine-tune and the fallback: 502 retryable, fallback tried once, nothing stored", async () => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 500, times: 5 });

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(502);
    expect(json).toEqual({
      success: false,
      error: { code: "provider_error", message: expect.any(String), retryable: true },
    });
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
    await expectNothingStored(modelId);
  });

  it("500 from the fallback of a model in persona mode: 502, asked once", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 500, times: 5 });

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(502);
    expect(json.error).toMatchObject({ code: "provider_error", retryable: true });
    expect(requestedModels()).toEqual([FALLBACK_MODEL]);
    await expectNothingStored(modelId);
  });

  it("a retired fine-tune whose fallback fails too: 502, and the fine-tune is not marked retired", async () => {
    // A 404 for every model is a misconfigured endpoint, not a retirement: nothing may be recorded.
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    server.use(http.post(CHAT_URL, async ({ request }) => {
      const { model } = await request.clone().json() as { model: string };
      sim.chatRequests.push({ model });
      return model === fineTune
        ? HttpResponse.json({ error: { message: "The model does not exist", type: "invalid_request_error", code: "model_not_found" } }, { status: 404 })
        : HttpResponse.json({ error: { message: "The server had an error", type: "server_error" } }, { status: 500 });
    }));

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(502);
    expect(json.error).toMatchObject({ code: "provider_error", retryable: true });
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
    expect((await modelRow(modelId)).fine_tuned_model_retired_at).toBeNull();
    await expectNothingStored(modelId);
  });

  it("429 from both: 503 provider_unavailable, retryable, nothing stored", async () => {
    const alice = await createUser("alice");
    const { id: modelId } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 429, times: 5 });

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(503);
    expect(json.error).toMatchObject({ code: "provider_unavailable", retryable: true });
    expect(sim.chatRequests).toHaveLength(2);
    await expectNothingStored(modelId);
  });

  it("timeouts from both: 503 provider_unavailable, nothing stored", async () => {
    configure({ OPENAI_TIMEOUT_MS: "300" });
    const alice = await createUser("alice");
    const { id: modelId } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "timeout", delayMs: 3000, times: 5 });

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(503);
    expect(json.error).toMatchObject({ code: "provider_unavailable", retryable: true });
    expect(sim.chatRequests).toHaveLength(2);
    await expectNothingStored(modelId);
  });

  it("the error body reveals nothing of the provider's own message", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    server.use(http.post(CHAT_URL, () =>
      HttpResponse.json({ error: { message: "internal shard db-7 exploded at 10.0.0.3", type: "server_error" } }, { status: 500 })));

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(502);
    expect(JSON.stringify(json)).not.toContain("shard");
  });
});

describe("chat: database unreachable", () => {
  async function closedPort(): Promise<number> {
    return await new Promise((resolve, reject) => {
      const probe = createServer();
      probe.once("error", reject);
      probe.listen(0, "127.0.0.1", () => {
        const address = probe.address();
        const port = typeof address === "object" && address ? address.port : 0;
        probe.close(() => resolve(port));
      });
    });
  }

  it("answers 503 database_unavailable, retryable, without asking the provider", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    await closeDatabase();
    configure({ SUPABASE_DB_URL: `postgresql://postgres:postgres@127.0.0.1:${await closedPort()}/postgres` });
    try {
      const { status, json } = await send(alice, modelId, { message: "Hello?" });

      expect(status).toBe(503);
      expect(json).toEqual({
        success: false,
        error: { code: "database_unavailable", message: expect.any(String), retryable: true },
      });
      expect(sim.chatRequests).toHaveLength(0);
    } finally {
      await closeDatabase();
      configure();
    }
    expect(await chatRows({ modelId })).toEqual([]);
  });
});

describe("chat: privacy", () => {
  it("another user's conversationId is 404 and nothing is stored or asked", async () => {
    const alice = await createUser("alice");
    const bob = await createUser("bob");
    const modelId = await insertModel(alice.id, { status: "ready", is_public: true });
    const started = await send(alice, modelId, { message: "My private question" });
    sim.chatRequests.length = 0;

    const { status, json } = await send(bob, modelId, { message: "Let me in", conversationId: started.json.conversationId });

    expect(status).toBe(404);
    expect(json.error.code).toBe("not_found");
    expect(sim.chatRequests).toHaveLength(0);
    expect(await chatRows({ userId: bob.id })).toEqual([]);
    expect((await chatRows({ conversationId: started.json.conversationId })).map((row) => row.user_id)).toEqual([alice.id]);
    expect((await modelRow(modelId)).chat_count).toBe(1);
  });

  it("a conversation continues only with its own model", async () => {
    const alice = await createUser("alice");
    const first = await insertModel(alice.id, { status: "ready" });
    const second = await insertModel(alice.id, { status: "ready" });
    const started = await send(alice, first, { message: "Hello first" });

    const { status } = await send(alice, second, { message: "Hello second", conversationId: started.json.conversationId });

    expect(status).toBe(404);
    // Refused before the provider is asked, not only when the exchange is stored.
    expect(sim.chatRequests).toHaveLength(1);
    expect(await chatRows({ modelId: second })).toEqual([]);
  });

  it("a conversationId nobody used is 404 (a client cannot pick a new conversation's id)", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });

    const { status } = await send(alice, modelId, { message: "Hello", conversationId: crypto.randomUUID() });

    expect(status).toBe(404);
    expect(await chatRows({ modelId })).toEqual([]);
  });

  it("another user's private model is 404, not asked, not counted", async () => {
    const alice = await createUser("alice");
    const bob = await createUser("bob");
    const modelId = await insertModel(alice.id, { status: "ready", is_public: false });

    const { status, json } = await send(bob, modelId, { message: "Hello?" });

    expect(status).toBe(404);
    expect(json).toEqual({ success: false, error: { code: "not_found", message: "No such model." } });
    expect(sim.chatRequests).toHaveLength(0);
    expect(await chatRows({ modelId })).toEqual([]);
    expect((await modelRow(modelId)).chat_count).toBe(0);
  });

  it("a model that does not exist is 404", async () => {
    const alice = await createUser("alice");
    const { status } = await send(alice, crypto.randomUUID(), { message: "Hello?" });
    expect(status).toBe(404);
    expect(sim.chatRequests).toHaveLength(0);
  });

  it("another user's public model answers, and its chat_count and last_used_at move", async () => {
    const alice = await createUser("alice");
    const bob = await createUser("bob");
    const modelId = await insertModel(alice.id, { status: "ready", is_public: true });

    const { status, json } = await send(bob, modelId, { message: "A reader's question" });

    expect(status).toBe(200);
    expect(json.messageOrder).toBe(1);
    const rows = await chatRows({ modelId });
    expect(rows.map((row) => row.user_id)).toEqual([bob.id]);
    const model = await modelRow(modelId);
    expect(model.chat_count).toBe(1);
    expect(model.last_used_at?.getTime()).toBe(rows[0].created_at.getTime());
  });

  it("401 without a token, and nothing is stored", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });

    const { status, json } = await send(null, modelId, { message: "Hello?" });

    expect(status).toBe(401);
    expect(json.error.code).toBe("unauthorized");
    expect(await chatRows({ modelId })).toEqual([]);
  });
});

describe("chat: bad input", () => {
  const cases: [string, unknown, number, (string | number)[] | null][] = [
    ["an empty message", { message: "" }, 422, ["message"]],
    ["a blank message", { message: "   \n\t " }, 422, ["message"]],
    ["no message", {}, 422, ["message"]],
    ["a message of 4001 characters", { message: "x".repeat(4001) }, 422, ["message"]],
    ["a message with a NUL character", { message: "hello\u0000world" }, 422, ["message"]],
    ["a malformed conversationId", { message: "Hi", conversationId: "conversation-1" }, 422, ["conversationId"]],
    ["a temperature above 2", { message: "Hi", temperature: 2.5 }, 422, ["temperature"]],
    ["a negative temperature", { message: "Hi", temperature: -0.1 }, 422, ["temperature"]],
    ["maxTokens below 16", { message: "Hi", maxTokens: 8 }, 422, ["maxTokens"]],
    ["maxTokens above 2000", { message: "Hi", maxTokens: 2001 }, 422, ["maxTokens"]],
    ["a fractional maxTokens", { message: "Hi", maxTokens: 100.5 }, 422, ["maxTokens"]],
    ["stream as a string", { message: "Hi", stream: "yes" }, 422, ["stream"]],
    ["an unknown field", { message: "Hi", model: "gpt-5" }, 422, []],
    ["a body that is not JSON", '{"message": "Hi"', 400, null],
    ["a JSON array", '["Hi"]', 422, []],
    ["a body over 32 KB", { message: "x".repeat(40_000) }, 413, null],
  ];

  it.each(cases)("%s: %i and nothing stored or asked", async (_label, body, expectedStatus, issuePath) => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });

    const { status, json } = await send(alice, modelId, body);

    expect(status).toBe(expectedStatus);
    expect(json.success).toBe(false);
    if (issuePath) {
      expect(json.error.code).toBe("validation_failed");
      expect(json.error.details.map((issue: { path: unknown[] }) => issue.path)).toContainEqual(issuePath);
    }
    expect(sim.chatRequests).toHaveLength(0);
    expect(await chatRows({ userId: alice.id })).toEqual([]);
  });

  it("400 for a malformed model id, 415 for a body that is not JSON by type", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });

    const badPath = await send(alice, "42", { message: "Hi" });
    expect(badPath.status).toBe(400);
    expect(badPath.json.error.details[0].path).toEqual(["modelId"]);

    const media = await send(alice, modelId, "message=Hi", { "Content-Type": "application/x-www-form-urlencoded" });
    expect(media.status).toBe(415);
    expect(await chatRows({ userId: alice.id })).toEqual([]);
  });

  it("405 for GET", async () => {
    const alice = await createUser("alice");
    const response = await chat(new Request(`http://localhost/functions/v1/fine-tune-chat/${crypto.randomUUID()}`, {
      headers: { Authorization: `Bearer ${alice.token}` },
    }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
  });
});

describe("chat: daily quota", () => {
  it("the message past DAILY_CHAT_QUOTA is 429 with resetAt and Retry-After, and nothing is stored", async () => {
    configure({ DAILY_CHAT_QUOTA: "2" });
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const first = await send(alice, modelId, { message: "One" });
    const second = await send(alice, modelId, { message: "Two", conversationId: first.json.conversationId });
    expect([first.status, second.status]).toEqual([200, 200]);

    const before = nextQuotaReset();
    const third = await send(alice, modelId, { message: "Three", conversationId: first.json.conversationId });
    const after = nextQuotaReset();

    expect(third.status).toBe(429);
    expect(third.json).toMatchObject({
      success: false,
      error: { code: "too_many_requests", retryable: true },
      resetAt: expect.any(String),
    });
    expect([before.toISOString(), after.toISOString()]).toContain(third.json.resetAt);
    const retryAfter = Number(third.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    const secondsToReset = (Date.parse(third.json.resetAt) - Date.now()) / 1000;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(Math.abs(retryAfter - secondsToReset)).toBeLessThanOrEqual(5);

    expect(sim.chatRequests).toHaveLength(2);
    expect((await chatRows({ userId: alice.id })).map((row) => row.user_message)).toEqual(["One", "Two"]);
    expect((await modelRow(modelId)).chat_count).toBe(2);
  });

  it("counts the user's exchanges across models and conversations, and in streaming mode answers 429 before any stream", async () => {
    configure({ DAILY_CHAT_QUOTA: "2" });
    const alice = await createUser("alice");
    const first = await insertModel(alice.id, { status: "ready" });
    const second = await insertModel(alice.id, { status: "ready" });
    expect((await send(alice, first, { message: "One" })).status).toBe(200);
    expect((await send(alice, second, { message: "Two" })).status).toBe(200);

    const response = await chat(chatRequest(alice, second, { message: "Three", stream: true }));

    expect(response.status).toBe(429);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await response.json()).error.code).toBe("too_many_requests");
    expect(await chatRows({ userId: alice.id })).toHaveLength(2);
  });

  it("holds under parallel requests: exactly the quota is answered and stored", async () => {
    configure({ DAILY_CHAT_QUOTA: "2" });
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send(alice, modelId, { message: `Parallel ${i}` })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429, 429, 429, 429, 429, 429, 429]);
    expect(await chatRows({ userId: alice.id })).toHaveLength(2);
  });

  it("gives the turn back when nothing was stored (both models failed)", async () => {
    configure({ DAILY_CHAT_QUOTA: "1" });
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    // A ready model asks only the fallback, once (the suite runs with no SDK retries).
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 500, times: 1 });
    expect((await send(alice, modelId, { message: "Lost" })).status).toBe(502);
    expect((await send(alice, modelId, { message: "Kept" })).status).toBe(200);
    expect((await send(alice, modelId, { message: "Over" })).status).toBe(429);
    expect((await chatRows({ userId: alice.id })).map((row) => row.user_message)).toEqual(["Kept"]);
  });

  it("is per user, and yesterday's exchanges do not count", async () => {
    configure({ DAILY_CHAT_QUOTA: "2" });
    const alice = await createUser("alice");
    const bob = await createUser("bob");
    const modelId = await insertModel(alice.id, { status: "ready", is_public: true });
    await adminSql()`
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, assistant_response, created_at)
      select ${modelId}, ${alice.id}, gen_random_uuid(), 'old', 'old', date_trunc('day', now() at time zone 'utc') at time zone 'utc' - interval '1 second'
      from generate_series(1, 3)`;
    expect((await send(alice, modelId, { message: "One" })).status).toBe(200);
    expect((await send(alice, modelId, { message: "Two" })).status).toBe(200);
    expect((await send(alice, modelId, { message: "Three" })).status).toBe(429);

    expect((await send(bob, modelId, { message: "Bob's first" })).status).toBe(200);
  });
});

describe("chat: conversation context", () => {
  it("the second and third turns send the earlier exchanges, oldest first, then the new message", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready", style_description: STYLE_GUIDE, entity_name: "Ada Byron" });
    const first = await send(alice, modelId, { message: "What inspired you?" });
    const { conversationId } = first.json;
    const second = await send(alice, modelId, { message: "And after that?", conversationId });
    await send(alice, modelId, { message: "Last question", conversationId });

    const system = { role: "system", content: `${STYLE_GUIDE}\n\n${personaGuard("Ada Byron")}` };
    expect(sim.chatRequests[1].messages).toEqual([
      system,
      { role: "user", content: "What inspired you?" },
      { role: "assistant", content: first.json.response },
      { role: "user", content: "And after that?" },
    ]);
    expect(sim.chatRequests[2].messages).toEqual([
      system,
      { role: "user", content: "What inspired you?" },
      { role: "assistant", content: first.json.response },
      { role: "user", content: "And after that?" },
      { role: "assistant", content: second.json.response },
      { role: "user", content: "Last question" },
    ]);
  });

  it("a long history is trimmed to CHAT_HISTORY_TOKEN_BUDGET, keeping the newest exchanges", async () => {
    // Each exchange costs 14 + 24 = 38 estimated tokens: a budget of 100 keeps two.
    configure({ CHAT_HISTORY_TOKEN_BUDGET: "100" });
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const history = Array.from({ length: 10 }, (_, i) => ({
      user: `question ${String(i).padStart(2, "0")} `.padEnd(40, "?"),
      assistant: `answer ${String(i).padStart(2, "0")} `.padEnd(80, "!"),
    }));
    const conversationId = await arrangeConversation(alice, modelId, history);

    const { json } = await send(alice, modelId, { message: "Newest", conversationId });

    expect(json.messageOrder).toBe(11);
    expect((sim.chatRequests[0].messages as unknown[]).slice(1)).toEqual([
      { role: "user", content: history[8].user },
      { role: "assistant", content: history[8].assistant },
      { role: "user", content: history[9].user },
      { role: "assistant", content: history[9].assistant },
      { role: "user", content: "Newest" },
    ]);
  });

  it("however large the budget, at most the 50 newest exchanges are loaded", async () => {
    configure({ CHAT_HISTORY_TOKEN_BUDGET: "1000000" });
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const history = Array.from({ length: 60 }, (_, i) => ({ user: `q${i}`, assistant: `a${i}` }));
    const conversationId = await arrangeConversation(alice, modelId, history);

    const { json } = await send(alice, modelId, { message: "Newest", conversationId });

    expect(json.messageOrder).toBe(61);
    const sent = (sim.chatRequests[0].messages as { content: string }[]).slice(1, -1).map((message) => message.content);
    expect(sent).toEqual(history.slice(10).flatMap((exchange) => [exchange.user, exchange.assistant]));
  });
});

describe("chat: streaming", () => {
  async function streamTurn(user: TestUser, modelId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await chat(chatRequest(user, modelId, body, headers));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    return await readEventStream(response);
  }

  it("sends deltas that join to the stored answer, then done with the totals", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready", entity_name: "Ada Byron", style_description: STYLE_GUIDE });

    const events = await streamTurn(alice, modelId, { message: "Tell me a long story about the engine", stream: true });

    const deltas = events.filter((event) => event.event === "delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.at(-1)?.event).toBe("done");
    expect(events.map((event) => event.event).filter((name) => name !== "delta")).toEqual(["done"]);
    const done = events.at(-1)!.data;
    expect(done).toEqual({
      conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tokensUsed: expect.any(Number),
      usingFallback: true,
      messageOrder: 1,
    });

    const [row] = await chatRows({ conversationId: done.conversationId });
    expect(joinedDeltas(events)).toBe(row.assistant_response);
    expect(row.assistant_response).toContain("As Ada Byron");
    expect(row).toMatchObject({ tokens_used: done.tokensUsed, used_fallback: true, model_used: FALLBACK_MODEL });
    expect(sim.chatRequests[0]).toMatchObject({ stream: true, model: FALLBACK_MODEL });
    expect((await modelRow(modelId)).chat_count).toBe(1);
  });

  it("Accept: text/event-stream streams too; a completed model streams from its fine-tune", async () => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);

    const events = await streamTurn(alice, modelId, { message: "Hello" }, { Accept: "text/event-stream" });

    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data.usingFallback).toBe(false);
    expect(requestedModels()).toEqual([fineTune]);
    expect((await chatRows({ modelId }))[0]).toMatchObject({ model_used: fineTune, assistant_response: joinedDeltas(events) });
  });

  it("continues a conversation: the next order, the same conversation", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const first = await send(alice, modelId, { message: "One" });

    const events = await streamTurn(alice, modelId, { message: "Two", stream: true, conversationId: first.json.conversationId });

    expect(events.at(-1)).toMatchObject({ event: "done", data: { conversationId: first.json.conversationId, messageOrder: 2 } });
    expect(sim.chatRequests[1].messages).toContainEqual({ role: "assistant", content: first.json.response });
  });

  it("a retired fine-tune falls back before the first byte and is recorded", async () => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    sim.retireModel(fineTune);

    const events = await streamTurn(alice, modelId, { message: "Hello", stream: true });

    expect(events.at(-1)).toMatchObject({ event: "done", data: { usingFallback: true } });
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
    expect((await modelRow(modelId)).fine_tuned_model_retired_at).toBeInstanceOf(Date);
  });

  it("when no model answers at all, it is a plain 502 JSON error, not a stream, and nothing is stored", async () => {
    const alice = await createUser("alice");
    const { id: modelId } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 500, times: 5 });

    const response = await chat(chatRequest(alice, modelId, { message: "Hello", stream: true }));

    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await response.json()).error).toMatchObject({ code: "provider_error", retryable: true });
    expect(await chatRows({ modelId })).toEqual([]);
  });

  it("a stream the provider cuts off ends with a retryable error event, and nothing is stored", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    server.use(http.post(CHAT_URL, () =>
      new HttpResponse(
        completionChunk({ role: "assistant", content: "" }) + completionChunk({ content: "Once upon " }) +
          completionChunk({ content: "a time" }),
        { headers: { "content-type": "text/event-stream" } },
      )));

    const events = await streamTurn(alice, modelId, { message: "Hello", stream: true });

    expect(events.map((event) => event.event)).toEqual(["delta", "delta", "error"]);
    expect(events[2].data).toMatchObject({ retryable: true, code: expect.any(String) });
    expect(await chatRows({ modelId })).toEqual([]);
    expect((await modelRow(modelId)).chat_count).toBe(0);
  });

  it("a client that goes away mid-stream stops the provider request, and nothing is stored", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const words = Array.from({ length: 20 }, (_, i) => `word${i} `);
    let providerStopped = false;
    let providerFinished = false;
    server.use(http.post(CHAT_URL, ({ request }) => {
      request.signal.addEventListener("abort", () => (providerStopped = true));
      const encoder = new TextEncoder();
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent === 0) controller.enqueue(encoder.encode(completionChunk({ role: "assistant", content: "" })));
          if (sent < words.length) {
            if (sent > 0) await new Promise((resolve) => setTimeout(resolve, 50));
            controller.enqueue(encoder.encode(completionChunk({ content: words[sent++] })));
            return;
          }
          controller.enqueue(encoder.encode(
            completionChunk({}, { choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] }) +
              completionChunk({}, { choices: [], usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } }) +
              "data: [DONE]\n\n",
          ));
          providerFinished = true;
          controller.close();
        },
        cancel() {
          providerStopped = true;
        },
      });
      return new HttpResponse(body, { headers: { "content-type": "text/event-stream" } });
    }));

    const response = await chat(chatRequest(alice, modelId, { message: "Tell me everything", stream: true }));
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("event: delta");
    await reader.cancel();

    // The whole answer would take about a second; wait past that (bounded) and look.
    const deadline = Date.now() + 3000;
    while (!providerStopped && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(providerStopped).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(providerFinished).toBe(false);
    expect(await chatRows({ modelId })).toEqual([]);
    expect((await modelRow(modelId)).chat_count).toBe(0);
  });
});
