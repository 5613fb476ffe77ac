import { describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import { nextQuotaReset } from "../../shared/chat/quota.ts";
import { chatRequest, chatRows, configure, modelRow, send, useChatHarness } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, createUser } from "../support/stack.ts";

const { sim } = useChatHarness();

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
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, created_at)
      select ${modelId}, ${alice.id}, gen_random_uuid(), 'old', 'old', date_trunc('day', now() at time zone 'utc') at time zone 'utc' - interval '1 second'
      from generate_series(1, 3)`;
    expect((await send(alice, modelId, { message: "One" })).status).toBe(200);
    expect((await send(alice, modelId, { message: "Two" })).status).toBe(200);
    expect((await send(alice, modelId, { message: "Three" })).status).toBe(429);

    expect((await send(bob, modelId, { message: "Bob's first" })).status).toBe(200);
  });

  it("is the user's plan's: chat_messages_per_day replaces DAILY_CHAT_QUOTA, a plan without one keeps it", async () => {
    configure({ DAILY_CHAT_QUOTA: "1" });
    await adminSql()`
      insert into public.plans (id, name, chat_messages_per_day) values ('chat-test-three', 'Three chats', 3)
      on conflict (id) do nothing`;
    const planned = await createUser("planned");
    const defaulted = await createUser("defaulted");
    await adminSql()`insert into private.user_plans (user_id, plan_id) values (${planned.id}, 'chat-test-three')`;
    await adminSql()`update auth.users set raw_app_meta_data = '{"plan": "free"}' where id = ${defaulted.id}`;
    const modelId = await insertModel(planned.id, { status: "ready", is_public: true });

    const statuses = [];
    for (const message of ["One", "Two", "Three", "Four"]) statuses.push((await send(planned, modelId, { message })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const over = await send(planned, modelId, { message: "Five" });
    expect(over.json.error.message).toBe("Daily chat quota of 3 messages reached.");

    expect((await send(defaulted, modelId, { message: "One" })).status).toBe(200);
    expect((await send(defaulted, modelId, { message: "Two" })).status).toBe(429);
  });
});
