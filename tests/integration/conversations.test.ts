import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import conversations from "../../functions/fine-tune-conversations/handler.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// GET /fine-tune-conversations in-process on the stack's Postgres: RLS decides whose history shows.

const sim = createOpenAISimulator();
const server = setupServer(...sim.handlers);

useSuiteDatabase();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  sim.reset();
  useStackEnvironment();
  resetOpenAI();
});
afterAll(async () => {
  server.close();
});

interface ConversationJson {
  conversationId: string;
  startedAt: string;
  title: string | null;
  messages: { user: string; assistant: string; timestamp: string }[];
}

async function list(user: TestUser | null, modelId: string, query = "") {
  const response = await conversations(new Request(`http://localhost/functions/v1/fine-tune-conversations/${modelId}${query}`, {
    headers: user ? { Authorization: `Bearer ${user.token}` } : {},
  }));
  return { status: response.status, json: await response.json() };
}

/** Arranges a conversation directly: its exchanges at the given times (one second apart by default). */
async function arrangeConversation(user: TestUser, modelId: string, startedAt: string, exchanges: number | string[][] = 1) {
  const conversationId = crypto.randomUUID();
  const pairs = typeof exchanges === "number"
    ? Array.from({ length: exchanges }, (_, i) => [`question ${i + 1}`, `answer ${i + 1}`])
    : exchanges;
  await adminSql().begin(async (tx) => {
    for (const [i, [question, answer]] of pairs.entries()) {
      await tx`
        insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, created_at)
        values (${modelId}, ${user.id}, ${conversationId}, ${question}, ${answer},
                ${startedAt}::timestamptz + make_interval(secs => ${i}))`;
    }
  });
  return conversationId;
}

const ids = (json: { conversations: ConversationJson[] }) => json.conversations.map((conversation) => conversation.conversationId);

describe("fine-tune-conversations", () => {
  it("lists the caller's conversations, newest first, each with its messages in order", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const oldest = await arrangeConversation(alice, modelId, "2026-01-01T10:00:00Z", 1);
    const middle = await arrangeConversation(alice, modelId, "2026-01-02T10:00:00Z", [
      ["Who are you?", "I am the author."],
      ["Why this book?", "Because it had to be written."],
      ["What next?", "A sequel, perhaps."],
    ]);
    const newest = await arrangeConversation(alice, modelId, "2026-01-03T10:00:00Z", 2);
    // Which model answered is stored with each reply and read back, so reopening shows it.
    await adminSql()`update public.fine_tuned_chats set used_fallback = true where conversation_id = ${middle} and user_message = 'Why this book?'`;

    const { status, json } = await list(alice, modelId);

    expect(status).toBe(200);
    expect(Object.keys(json)[0]).toBe("success");
    expect(ids(json)).toEqual([newest, middle, oldest]);
    expect(json.nextCursor).toBeNull();
    const shown = json.conversations[1] as ConversationJson;
    expect(shown).toEqual({
      conversationId: middle,
      startedAt: "2026-01-02T10:00:00.000Z",
      opening: null,
      title: null,
      messages: [
        { chatId: expect.any(String), user: "Who are you?", assistant: "I am the author.", timestamp: "2026-01-02T10:00:00.000Z", rating: null, usingFallback: false },
        { chatId: expect.any(String), user: "Why this book?", assistant: "Because it had to be written.", timestamp: "2026-01-02T10:00:01.000Z", rating: null, usingFallback: true },
        { chatId: expect.any(String), user: "What next?", assistant: "A sequel, perhaps.", timestamp: "2026-01-02T10:00:02.000Z", rating: null, usingFallback: false },
      ],
    });
  });

  it("orders a conversation by when it started, not by its latest message", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const startedFirst = await arrangeConversation(alice, modelId, "2026-02-01T00:00:00Z", 1);
    const startedSecond = await arrangeConversation(alice, modelId, "2026-02-02T00:00:00Z", 1);
    // The older conversation gets a new message today.
    await adminSql()`
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, created_at)
      values (${modelId}, ${alice.id}, ${startedFirst}, 'later', 'later', '2026-03-01T00:00:00Z')`;

    const { json } = await list(alice, modelId);

    expect(ids(json)).toEqual([startedSecond, startedFirst]);
    expect(json.conversations[1].messages.map((message: { user: string }) => message.user)).toEqual(["question 1", "later"]);
  });

  it("shows only the caller's own conversations, even on a public model others chat with", async () => {
    const alice = await createUser("alice");
    const bob = await createUser("bob");
    const modelId = await insertModel(alice.id, { status: "ready", is_public: true });
    const alices = await arrangeConversation(alice, modelId, "2026-01-01T00:00:00Z", 2);
    const bobs = await arrangeConversation(bob, modelId, "2026-01-02T00:00:00Z", 2);

    const forAlice = await list(alice, modelId);
    const forBob = await list(bob, modelId);

    expect(ids(forAlice.json)).toEqual([alices]);
    expect(ids(forBob.json)).toEqual([bobs]);
    expect(JSON.stringify(forAlice.json)).not.toContain(bobs);
  });

  it("names a conversation for its reader only: renamed, listed with it, refused for anyone else's", async () => {
    const alice = await createUser("alice");
    const bob = await createUser("bob");
    const modelId = await insertModel(alice.id, { status: "ready", is_public: true });
    const alices = await arrangeConversation(alice, modelId, "2026-01-01T00:00:00Z");
    const bobs = await arrangeConversation(bob, modelId, "2026-01-02T00:00:00Z");
    const name = (user: TestUser, body: unknown) =>
      conversations(new Request(`http://localhost/functions/v1/fine-tune-conversations/${modelId}`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${user.token}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }));

    expect((await name(alice, { conversationId: alices, title: "  The first evening " })).status).toBe(200);
    const renamed = await name(alice, { conversationId: alices, title: "At Pemberley" });
    expect(await renamed.json()).toEqual({ success: true, conversationId: alices, title: "At Pemberley" });
    expect((await list(alice, modelId)).json.conversations[0]).toMatchObject({ conversationId: alices, title: "At Pemberley" });
    expect((await list(bob, modelId)).json.conversations[0]).toMatchObject({ conversationId: bobs, title: null });

    // Bob's conversation is not Alice's to name; an empty or overlong name is refused, not cut.
    expect((await name(alice, { conversationId: bobs, title: "Mine now" })).status).toBe(404);
    const empty = await name(alice, { conversationId: alices, title: "  " });
    expect(empty.status).toBe(422);
    expect((await empty.json()).error.details[0].path).toEqual(["title"]);
    expect((await name(alice, { conversationId: alices, title: "x".repeat(121) })).status).toBe(422);
    const [{ count }] = await adminSql()<{ count: number }[]>`
      select count(*)::int as count from public.conversation_titles where conversation_id = ${bobs}`;
    expect(count).toBe(0);
  });

  it("shows only conversations with this model", async () => {
    const alice = await createUser("alice");
    const first = await insertModel(alice.id, { status: "ready" });
    const second = await insertModel(alice.id, { status: "ready" });
    const withFirst = await arrangeConversation(alice, first, "2026-01-01T00:00:00Z");
    await arrangeConversation(alice, second, "2026-01-02T00:00:00Z");

    expect(ids((await list(alice, first)).json)).toEqual([withFirst]);
  });

  it("a model with no conversations yet lists none", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "pending", next_check_at: "2100-01-01T00:00:00Z" });

    const { status, json } = await list(alice, modelId);

    expect(status).toBe(200);
    expect(json).toEqual({ success: true, conversations: [], nextCursor: null });
  });

  it("paginates with limit and the returned cursor, with no conversation missed or repeated", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const expected: string[] = [];
    for (let day = 1; day <= 5; day++) {
      expected.unshift(await arrangeConversation(alice, modelId, `2026-04-0${day}T12:00:00Z`, 2));
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    const pageSizes: number[] = [];
    for (let page = 0; page < 10; page++) {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const { status, json } = await list(alice, modelId, query);
      expect(status).toBe(200);
      pageSizes.push(json.conversations.length);
      seen.push(...ids(json));
      // Every conversation on a page comes with all its messages.
      for (const conversation of json.conversations) expect(conversation.messages).toHaveLength(2);
      cursor = json.nextCursor;
      if (!cursor) break;
    }

    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(expected);
  });

  it("paginates conversations that started at the same instant without losing any", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const started = "2026-05-05T05:05:05.123456Z";
    const all = [
      await arrangeConversation(alice, modelId, started),
      await arrangeConversation(alice, modelId, started),
      await arrangeConversation(alice, modelId, started),
    ];

    const first = await list(alice, modelId, "?limit=2");
    const second = await list(alice, modelId, `?limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`);

    expect(first.json.conversations).toHaveLength(2);
    expect(second.json.nextCursor).toBeNull();
    const seen = [...ids(first.json), ...ids(second.json)];
    expect(seen).toEqual([...all].sort().reverse());
  });

  it("an exact page leaves no cursor behind it", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    await arrangeConversation(alice, modelId, "2026-06-01T00:00:00Z");
    await arrangeConversation(alice, modelId, "2026-06-02T00:00:00Z");

    const { json } = await list(alice, modelId, "?limit=2");

    expect(json.conversations).toHaveLength(2);
    expect(json.nextCursor).toBeNull();
  });

  it("shows what chat stored, with the conversation chat returned", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const turn = async (message: string, conversationId?: string) => {
      const response = await chat(new Request(`http://localhost/functions/v1/fine-tune-chat/${modelId}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${alice.token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ message, conversationId }),
      }));
      expect(response.status).toBe(200);
      return await response.json();
    };
    const first = await turn("First question");
    const second = await turn("Second question", first.conversationId);

    const { json } = await list(alice, modelId);

    expect(json.conversations).toHaveLength(1);
    expect(json.conversations[0].conversationId).toBe(first.conversationId);
    expect(json.conversations[0].messages.map(({ user, assistant }: { user: string; assistant: string }) => ({ user, assistant })))
      .toEqual([
        { user: "First question", assistant: first.response },
        { user: "Second question", assistant: second.response },
      ]);
    expect(Date.parse(json.conversations[0].startedAt)).toBe(Date.parse(json.conversations[0].messages[0].timestamp));
  });

  it("404 for another user's private model, and for a model that does not exist", async () => {
    const alice = await createUser("alice");
    const bob = await createUser("bob");
    const modelId = await insertModel(alice.id, { status: "ready", is_public: false });
    await arrangeConversation(alice, modelId, "2026-01-01T00:00:00Z");

    const hidden = await list(bob, modelId);
    expect(hidden.status).toBe(404);
    expect(hidden.json).toEqual({ success: false, error: { code: "not_found", message: "No such model." } });
    expect((await list(bob, crypto.randomUUID())).status).toBe(404);
  });

  it("400 for a malformed model id, limit or cursor, with the issue path", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });

    const cases: [string, string, string][] = [
      ["42", "", "modelId"],
      [modelId, "?limit=0", "limit"],
      [modelId, "?limit=101", "limit"],
      [modelId, "?limit=ten", "limit"],
      [modelId, "?cursor=not-a-cursor", "cursor"],
      [modelId, `?cursor=${btoa(JSON.stringify({ createdAt: "yesterday", id: modelId }))}`, "cursor"],
    ];
    for (const [id, query, field] of cases) {
      const { status, json } = await list(alice, id, query);
      expect(status, `${id}${query}`).toBe(400);
      expect(json.error.details[0].path, `${id}${query}`).toEqual([field]);
    }
    expect((await list(alice, modelId, "?page=2")).status).toBe(400);
  });

  it("401 without a token, 405 for POST", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });

    const anonymous = await list(null, modelId);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe("unauthorized");

    const post = await conversations(new Request(`http://localhost/functions/v1/fine-tune-conversations/${modelId}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${alice.token}` },
    }));
    expect(post.status).toBe(405);
  });
});
