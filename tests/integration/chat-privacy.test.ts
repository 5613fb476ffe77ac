import { describe, expect, it } from "vitest";
import { chatRows, modelRow, send, useChatHarness } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { createUser } from "../support/stack.ts";

const { sim, completedModel } = useChatHarness();

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

  it("a reader's exchange with someone else's fine-tune never names the owner's provider model", async () => {
    const owner = await createUser("owner");
    const reader = await createUser("reader");
    const { id, fineTune } = await completedModel(owner.id, { is_public: true });

    const asReader = await send(reader, id, { message: "Who are you?" });
    const asOwner = await send(owner, id, { message: "Who are you?" });

    expect([asReader.json.usingFallback, asOwner.json.usingFallback]).toEqual([false, false]);
    expect(sim.chatRequests.map((request) => request.model)).toEqual([fineTune, fineTune]);
    expect((await chatRows({ userId: reader.id })).map((row) => row.model_used)).toEqual(["fine-tuned"]);
    expect((await chatRows({ userId: owner.id })).map((row) => row.model_used)).toEqual([fineTune]);
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
