import { beforeEach, describe, expect, it } from "vitest";
import rating from "../../functions/fine-tune-chat-rating/handler.ts";
import examples from "../../functions/fine-tune-examples/handler.ts";
import conversations from "../../functions/fine-tune-conversations/handler.ts";
import groupConversations from "../../functions/fine-tune-group-conversations/handler.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";
import { callHandler as call } from "../support/handler-call.ts";

// PUT /fine-tune-chat-rating and POST /fine-tune-examples { fromRatedChats } in-process, on the
// suite's own database: only the user who chatted rates, and the owner turns only their own
// up-rated exchanges into `chat` examples, each once.

useSuiteDatabase();
beforeEach(() => useStackEnvironment());

const rate = (user: TestUser | undefined, chatId: string, value: unknown) =>
  call(rating, `fine-tune-chat-rating/${chatId}`, { method: "PUT", user, body: { rating: value } });

/** Stores a conversation of `user` with `modelId`; answers the exchanges' ids in order. */
async function arrangeChat(user: TestUser, modelId: string, exchanges: [string, string][]): Promise<string[]> {
  const conversationId = crypto.randomUUID();
  const rows = await adminSql()<{ id: string }[]>`
    insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response)
    select ${modelId}, ${user.id}, ${conversationId}, e.q, e.a
    from jsonb_to_recordset(${adminSql().json(exchanges.map(([q, a], n) => ({ n, q, a })) as never)}::jsonb)
      as e (n integer, q text, a text)
    order by e.n
    returning id, message_order`;
  return rows.sort((a: any, b: any) => a.message_order - b.message_order).map((row) => row.id);
}

/** A group conversation of `user` with `modelId`: the reader's message, then the persona's reply. */
async function arrangeGroup(user: TestUser, modelId: string, name: string) {
  const sql = adminSql();
  const conversationId = crypto.randomUUID();
  await sql`insert into public.group_conversations (id, user_id) values (${conversationId}, ${user.id})`;
  await sql`insert into public.group_conversation_participants (conversation_id, model_id, position) values (${conversationId}, ${modelId}, 1)`;
  const [asked] = await sql<{ id: string }[]>`
    insert into public.group_messages (conversation_id, user_id, role, content)
    values (${conversationId}, ${user.id}, 'user', 'Shall we walk to Uppercross?') returning id`;
  const [replied] = await sql<{ id: string }[]>`
    insert into public.group_messages (conversation_id, user_id, role, model_id, speaker_name, content)
    values (${conversationId}, ${user.id}, 'assistant', ${modelId}, ${name}, 'Gladly.') returning id`;
  return { conversationId, asked: asked.id, replied: replied.id };
}

describe("fine-tune-chat-rating", () => {
  it("lets the user who chatted rate, re-rate and clear a reply; conversations show it", async () => {
    const reader = await createUser("rater");
    const modelId = await insertModel(reader.id, { entity_name: "Emma Woodhouse" });
    const [first, second] = await arrangeChat(reader, modelId, [["Matchmaking?", "My greatest talent."], ["Mr Knightley?", "A friend."]]);

    expect(await rate(reader, first, "up")).toEqual({ status: 200, json: { success: true, chatId: first, rating: "up" } });
    expect((await rate(reader, second, "down")).json.rating).toBe("down");
    expect((await rate(reader, second, null)).json.rating).toBeNull();

    const listed = await call(conversations, `fine-tune-conversations/${modelId}`, { user: reader });
    expect(listed.json.conversations[0].messages.map((m: any) => [m.chatId, m.rating])).toEqual([[first, "up"], [second, null]]);
  });

  it("is a 404 for anyone else's exchange, 401 without a token, 4xx for a bad rating or id", async () => {
    const owner = await createUser("model-owner");
    const reader = await createUser("reader");
    const modelId = await insertModel(owner.id, { entity_name: "Fanny Price", is_public: true });
    const [readers] = await arrangeChat(reader, modelId, [["Mansfield?", "My home."]]);

    const byOwner = await rate(owner, readers, "down");
    expect(byOwner.status).toBe(404);
    expect(byOwner.json.error.code).toBe("not_found");
    expect((await rate(undefined, readers, "up")).status).toBe(401);
    expect((await rate(reader, crypto.randomUUID(), "up")).status).toBe(404);
    const bad = await rate(reader, readers, "sideways");
    expect(bad.status).toBe(422);
    expect(bad.json.error.details[0].path).toEqual(["rating"]);
    expect((await rate(reader, "not-a-uuid", "up")).status).toBe(400);
    expect((await call(rating, `fine-tune-chat-rating/${readers}`, { method: "PUT", user: reader, body: {} })).status)
      .toBe(422);

    const [row] = await adminSql()<{ rating: string | null }[]>`select rating from public.fine_tuned_chats where id = ${readers}`;
    expect(row.rating).toBeNull();
  });
});

describe("fine-tune-examples fromRatedChats", () => {
  it("rates a group conversation's reply for the reader alone; never the reader's own message", async () => {
    const owner = await createUser("persona-owner");
    const reader = await createUser("group-reader");
    const modelId = await insertModel(owner.id, { entity_name: "Anne Elliot", is_public: true });
    const { conversationId, asked, replied } = await arrangeGroup(reader, modelId, "Anne Elliot");

    expect(await rate(reader, replied, "up")).toEqual({ status: 200, json: { success: true, chatId: replied, rating: "up" } });
    expect((await rate(reader, asked, "up")).status).toBe(404);
    expect((await rate(owner, replied, "down")).status).toBe(404);

    const read = await call(groupConversations, `fine-tune-group-conversations?conversationId=${conversationId}`, { user: reader });
    expect(read.json.conversation.messages.map((m: any) => [m.messageId, m.rating])).toEqual([[asked, null], [replied, "up"]]);
  });

  it("adds the owner's up-rated exchanges as chat examples, each once, after the last example", async () => {
    const owner = await createUser("shaper");
    const reader = await createUser("reader");
    const modelId = await insertModel(owner.id, { entity_name: "Catherine Morland", is_public: true });
    const otherModel = await insertModel(owner.id, { entity_name: "Henry Tilney" });
    const added = await call(examples, `fine-tune-examples/${modelId}`, {
      user: owner,
      body: { topic: "Bath", messages: [{ role: "user", content: "Bath?" }, { role: "assistant", content: "Delightful." }] },
    });
    expect(added.status).toBe(201);

    const [up, down, unrated] = await arrangeChat(owner, modelId, [
      ["Do you like novels?", "Oh, above everything!"],
      ["And history?", "Tiresome."],
      ["Northanger?", "An abbey!"],
    ]);
    const [later] = await arrangeChat(owner, modelId, [["Udolpho?", "I must finish it."]]);
    const [elsewhere] = await arrangeChat(owner, otherModel, [["Muslin?", "I know it well."]]);
    const [readers] = await arrangeChat(reader, modelId, [["Mr Tilney?", "So droll."]]);
    for (const id of [up, later, elsewhere]) expect((await rate(owner, id, "up")).status).toBe(200);
    await rate(owner, down, "down");
    await rate(reader, readers, "up");
    void unrated;

    const taken = await call(examples, `fine-tune-examples/${modelId}`, { user: owner, body: { fromRatedChats: true } });
    expect(taken.status).toBe(201);
    expect(taken.json.examples.map((e: any) => [e.source, e.position, e.chat_id, e.topic, e.messages])).toEqual([
      ["chat", 1, up, null, [{ role: "user", content: "Do you like novels?" }, { role: "assistant", content: "Oh, above everything!" }]],
      ["chat", 2, later, null, [{ role: "user", content: "Udolpho?" }, { role: "assistant", content: "I must finish it." }]],
    ]);

    const again = await call(examples, `fine-tune-examples/${modelId}`, { user: owner, body: { fromRatedChats: true } });
    expect(again).toEqual({ status: 201, json: { success: true, examples: [] } });

    // A newly up-rated exchange is the only thing the next call adds.
    await rate(owner, down, "up");
    const next = await call(examples, `fine-tune-examples/${modelId}`, { user: owner, body: { fromRatedChats: true } });
    expect(next.json.examples.map((e: any) => [e.chat_id, e.position])).toEqual([[down, 3]]);

    const listed = await call(examples, `fine-tune-examples/${modelId}`, { user: owner });
    expect(listed.json.examples.map((e: any) => e.source)).toEqual(["user", "chat", "chat", "chat"]);
  });

  it("never takes another user's exchanges, and is a 404 on someone else's model", async () => {
    const owner = await createUser("owner");
    const reader = await createUser("reader");
    const modelId = await insertModel(owner.id, { entity_name: "Marianne Dashwood", is_public: true });
    const [readers] = await arrangeChat(reader, modelId, [["Willoughby?", "He will come."]]);
    await rate(reader, readers, "up");

    const byOwner = await call(examples, `fine-tune-examples/${modelId}`, { user: owner, body: { fromRatedChats: true } });
    expect(byOwner).toEqual({ status: 201, json: { success: true, examples: [] } });
    const byReader = await call(examples, `fine-tune-examples/${modelId}`, { user: reader, body: { fromRatedChats: true } });
    expect(byReader.status).toBe(404);
    const both = await call(examples, `fine-tune-examples/${modelId}`, {
      user: owner,
      body: { fromRatedChats: true, jsonl: "{}" },
    });
    expect(both.status).toBe(422);
    const [count] = await adminSql()<{ n: number }[]>`select count(*)::int as n from public.training_examples where model_id = ${modelId}`;
    expect(count.n).toBe(0);
  });
});
