import { describe, expect, it } from "vitest";
import { personaGuard } from "../../shared/chat/prompt.ts";
import { chatRows, FALLBACK_MODEL, modelRow, NEVER_DUE, send, STYLE_GUIDE, useChatHarness } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, createUser } from "../support/stack.ts";

const { sim } = useChatHarness();

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
      chatId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      messageOrder: 1,
      // No book text for this persona: nothing to cite.
      citations: [],
      memoriesUsed: [],
      readerPersonaId: null,
    });
    expect(json.tokensUsed).toBeGreaterThan(0);

    const [row] = await chatRows({ modelId });
    expect(row).toMatchObject({
      id: json.chatId,
      user_id: alice.id,
      conversation_id: json.conversationId,
      message_order: 1,
      user_message: "Where did the idea for the engine come from?",
      ai_response: json.response,
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

  it("sends the model's greeting as the opening turn of a new conversation", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready", entity_name: "Ada Byron", style_description: STYLE_GUIDE });
    await adminSql()`update private.fine_tuned_models set greeting = 'Welcome to the engine house.' where id = ${modelId}`;

    const { status } = await send(alice, modelId, { message: "Hello there" });

    expect(status).toBe(200);
    expect(sim.chatRequests[0].messages).toEqual([
      { role: "system", content: `${STYLE_GUIDE}\n\n${personaGuard("Ada Byron")}` },
      { role: "assistant", content: "Welcome to the engine house." },
      { role: "user", content: "Hello there" },
    ]);
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

  it("a chat stores without waiting while the model's row is locked; its count shows at once and folds in later", async () => {
    const owner = await createUser("owner");
    const reader = await createUser("reader");
    const modelId = await insertModel(owner.id, { status: "ready", is_public: true });
    const stored = async () => (await adminSql()<{ chat_count: number }[]>`
      select chat_count from private.fine_tuned_models where id = ${modelId}`)[0].chat_count;

    // Another writer (here: a transaction holding the row, as a concurrent commit does) has the row.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = adminSql().begin(async (tx) => {
      await tx`select 1 from private.fine_tuned_models where id = ${modelId} for no key update`;
      locked();
      await released;
    });
    await isLocked;
    try {
      const replies = await Promise.all([1, 2, 3].map((i) => send(reader, modelId, { message: `While locked ${i}` })));
      expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
      // Counted as tallies: the row as the Data API shows it has them, the table's column not yet.
      expect((await modelRow(modelId)).chat_count).toBe(3);
      expect((await modelRow(modelId)).last_used_at).not.toBeNull();
      expect(await stored()).toBe(0);
    } finally {
      release();
      await holder;
    }

    // The next chat that takes the row folds them in; the schedule folds what no chat took.
    expect((await send(reader, modelId, { message: "After the lock" })).status).toBe(200);
    expect(await stored()).toBe(4);
    const [{ tallies }] = await adminSql()<{ tallies: number }[]>`
      select count(*)::int as tallies from private.model_chat_tallies where model_id = ${modelId}`;
    expect(tallies).toBe(0);
    expect((await modelRow(modelId)).chat_count).toBe(4);
  });

  it("64 readers at once on one persona: every chat is counted, and the fold leaves the column exact", async () => {
    const owner = await createUser("owner");
    const modelId = await insertModel(owner.id, { status: "ready", is_public: true });
    const readers = await Promise.all(Array.from({ length: 64 }, (_, i) => createUser(`reader-${i}`)));

    const replies = await Promise.all(readers.map((reader) => send(reader, modelId, { message: "Tell me about the storm." })));
    expect(replies.map((reply) => reply.status)).toEqual(Array(64).fill(200));

    expect((await modelRow(modelId)).chat_count).toBe(64);
    await adminSql()`select private.fold_chat_tallies()`;
    const [row] = await adminSql()<{ chat_count: number; tallies: number }[]>`
      select m.chat_count, (select count(*)::int from private.model_chat_tallies t where t.model_id = m.id) as tallies
      from private.fine_tuned_models m where m.id = ${modelId}`;
    expect(row).toEqual({ chat_count: 64, tallies: 0 });
  });
});
