import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import groupChat from "../../functions/fine-tune-group-chat/handler.ts";
import { CHAT_URL, configure, FALLBACK_MODEL, modelRow, useChatHarness } from "../support/chat-harness.ts";
import { getGroupConversations, groupChatRequest, groupMessageCount, groupRows, sendGroup } from "../support/group-chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { readEventStream } from "../support/sse.ts";
import { adminSql, createUser, type TestUser } from "../support/stack.ts";

const { sim, server } = useChatHarness();

const NAMES = ["Elizabeth Bennet", "Fitzwilliam Darcy", "Jane Bennet"];

/** Three personas of one book the user may chat with: two of their own, one public of another owner. */
async function threePersonas(user: TestUser) {
  const stranger = await createUser("stranger");
  const ids = [
    await insertModel(user.id, { type: "character", entity_name: NAMES[0], style_description: `You are ${NAMES[0]}.` }),
    await insertModel(user.id, { type: "character", entity_name: NAMES[1], style_description: `You are ${NAMES[1]}.` }),
    await insertModel(stranger.id, { type: "character", entity_name: NAMES[2], is_public: true, style_description: `You are ${NAMES[2]}.` }),
  ];
  return ids;
}

async function quotaUsed(userId: string) {
  const [row] = await adminSql()<{ used: number }[]>`select used from private.daily_chat_usage where user_id = ${userId}`;
  return row?.used ?? 0;
}

describe("group chat: strategies", () => {
  it("list: every persona replies in order; the round is stored in order, counted per persona and reads back the same", async () => {
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);

    const { status, json } = await sendGroup(alice, { modelIds, message: "What did you make of the ball?", strategy: "list" });

    expect(status).toBe(200);
    expect(json).toEqual({
      success: true,
      conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      replies: modelIds.map((modelId, i) => ({
        messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        modelId,
        name: NAMES[i],
        response: expect.stringContaining(`As ${NAMES[i]}`),
        usingFallback: true,
        tokensUsed: expect.any(Number),
      })),
    });
    const rows = await groupRows(json.conversationId);
    expect(json.replies.map((reply: { messageId: string }) => reply.messageId)).toEqual(rows.slice(1).map((row) => row.id));
    expect(rows.map((row) => [row.message_order, row.role, row.model_id, row.speaker_name])).toEqual([
      [1, "user", null, null],
      [2, "assistant", modelIds[0], NAMES[0]],
      [3, "assistant", modelIds[1], NAMES[1]],
      [4, "assistant", modelIds[2], NAMES[2]],
    ]);
    for (const id of modelIds) expect((await modelRow(id)).chat_count).toBe(1);
    expect(await quotaUsed(alice.id)).toBe(3);

    const read = await getGroupConversations(alice, `?conversationId=${json.conversationId}`);
    expect(read.status).toBe(200);
    expect(read.json.conversation.participants).toEqual(modelIds.map((modelId, i) => ({ modelId, name: NAMES[i] })));
    expect(read.json.conversation.messages.map((message: { messageId: string; order: number; speaker: string; text: string; rating: null }) =>
      [message.messageId, message.order, message.speaker, message.text, message.rating])).toEqual([
      [rows[0].id, 1, "user", "What did you make of the ball?", null],
      ...json.replies.map((reply: { messageId: string; name: string; response: string }, i: number) =>
        [reply.messageId, i + 2, reply.name, reply.response, null]),
    ]);
  });

  it("each reply sees the whole conversation, every other speaker labelled, its own words as its turns", async () => {
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);
    const first = await sendGroup(alice, { modelIds, message: "Good evening, all.", strategy: "list" });
    sim.reset();

    await sendGroup(alice, { modelIds, message: "And now?", strategy: "list", conversationId: first.json.conversationId });

    const darcy = sim.chatRequests[1].messages as { role: string; content: string }[];
    expect(darcy[0].role).toBe("system");
    expect(darcy[0].content).toContain("group conversation");
    expect(darcy.slice(1)).toEqual([
      { role: "user", content: "[Reader] Good evening, all." },
      { role: "user", content: `[${NAMES[0]}] ${first.json.replies[0].response}` },
      { role: "assistant", content: first.json.replies[1].response },
      { role: "user", content: `[${NAMES[2]}] ${first.json.replies[2].response}` },
      { role: "user", content: "[Reader] And now?" },
      { role: "user", content: expect.stringMatching(new RegExp(`^\\[${NAMES[0]}\\] As ${NAMES[0]}`)) },
    ]);
  });

  it("natural: a persona named in the message speaks first", async () => {
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);

    const { status, json } = await sendGroup(alice, { modelIds, message: "Jane, were you happy that night?" });

    expect(status).toBe(200);
    expect(json.replies[0].modelId).toBe(modelIds[2]);
    const speakers = json.replies.map((reply: { modelId: string }) => reply.modelId);
    expect(new Set(speakers).size).toBe(speakers.length);
    expect((await groupRows(json.conversationId)).length).toBe(1 + json.replies.length);
  });

  it("manual: only the chosen speaker replies", async () => {
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);

    const { status, json } = await sendGroup(alice, { modelIds, message: "Mr Darcy?", strategy: "manual", speaker: modelIds[1] });

    expect(status).toBe(200);
    expect(json.replies.map((reply: { modelId: string }) => reply.modelId)).toEqual([modelIds[1]]);
    expect((await modelRow(modelIds[0])).chat_count).toBe(0);
    expect((await modelRow(modelIds[1])).chat_count).toBe(1);
  });

  it("20 concurrent group messages in one conversation keep message_order gap-free, each round contiguous", async () => {
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);
    const first = await sendGroup(alice, { modelIds, message: "Opening", strategy: "list" });
    const { conversationId } = first.json;

    const rounds = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      sendGroup(alice, { modelIds, message: `Concurrent ${i}`, strategy: "list", conversationId })));

    expect(rounds.map((round) => round.status)).toEqual(Array(20).fill(200));
    const rows = await groupRows(conversationId);
    expect(rows.map((row) => row.message_order)).toEqual(Array.from({ length: 84 }, (_, i) => i + 1));
    // Each reader message is followed by its own round's three replies.
    for (let i = 0; i < rows.length; i += 4) {
      expect(rows[i].role).toBe("user");
      expect(rows.slice(i + 1, i + 4).map((row) => row.model_id)).toEqual(modelIds);
    }
    for (const id of modelIds) expect((await modelRow(id)).chat_count).toBe(21);
  });
});

describe("group chat: streaming", () => {
  it("delta events name their speaker; done carries the totals once the round is stored", async () => {
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);

    const response = await groupChat(groupChatRequest(alice, { modelIds, message: "Speak, all of you.", strategy: "list", stream: true }));

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readEventStream(response);
    const deltas = events.filter((event) => event.event === "delta").map((event) => event.data as { modelId: string; name: string; text: string });
    const speakersInOrder = deltas.map((delta) => delta.modelId).filter((id, i, all) => i === 0 || all[i - 1] !== id);
    expect(speakersInOrder).toEqual(modelIds);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    const data = done.data as { conversationId: string; replies: { messageId: string; modelId: string; messageOrder: number; tokensUsed: number }[]; tokensUsed: number };
    expect(data.replies.map((reply) => [reply.modelId, reply.messageOrder])).toEqual(modelIds.map((id, i) => [id, i + 2]));
    expect(data.tokensUsed).toBe(data.replies.reduce((sum, reply) => sum + reply.tokensUsed, 0));
    const rows = await groupRows(data.conversationId);
    expect(data.replies.map((reply) => reply.messageId)).toEqual(rows.slice(1).map((row) => row.id));
    expect(rows[1].content).toBe(deltas.filter((delta) => delta.modelId === modelIds[0]).map((delta) => delta.text).join(""));
  });
});

describe("group chat: refusals", () => {
  it("422 for one persona, repeated ids, and manual without a speaker, with the issue paths", async () => {
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);

    const one = await sendGroup(alice, { modelIds: [modelIds[0]], message: "Hi" });
    const repeated = await sendGroup(alice, { modelIds: [modelIds[0], modelIds[0]], message: "Hi" });
    const manual = await sendGroup(alice, { modelIds, message: "Hi", strategy: "manual" });
    const stranger = await sendGroup(alice, { modelIds, message: "Hi", strategy: "manual", speaker: crypto.randomUUID() });

    expect([one.status, repeated.status, manual.status, stranger.status]).toEqual([422, 422, 422, 422]);
    expect(one.json.error.details[0].path).toEqual(["modelIds"]);
    expect(repeated.json.error.details[0].path).toEqual(["modelIds"]);
    expect(manual.json.error.details).toEqual([{ path: ["speaker"], message: "The manual strategy needs a speaker" }]);
    expect(stranger.json.error.details).toEqual([{ path: ["speaker"], message: "speaker must be one of modelIds" }]);
    expect(sim.chatRequests).toHaveLength(0);
  });

  it("401 without a token", async () => {
    const { status, json } = await sendGroup(null, { modelIds: [crypto.randomUUID(), crypto.randomUUID()], message: "Hi" });
    expect(status).toBe(401);
    expect(json.error.code).toBe("unauthorized");
  });

  it("404 naming a persona the user may not chat with (another user's private model), nothing asked or stored", async () => {
    const alice = await createUser("alice");
    const bob = await createUser("bob");
    const mine = await insertModel(alice.id, { entity_name: "Ada Byron" });
    const bobsPrivate = await insertModel(bob.id, { entity_name: "Bob's secret" });

    const { status, json } = await sendGroup(alice, { modelIds: [mine, bobsPrivate], message: "Hi" });

    expect(status).toBe(404);
    expect(json.error.details).toEqual([{ path: ["modelIds", 1], message: expect.any(String) }]);
    expect(json.error.message).toContain(bobsPrivate);
    expect(sim.chatRequests).toHaveLength(0);
    expect(await groupMessageCount(alice.id)).toBe(0);
  });

  it("another user can neither continue nor read the conversation", async () => {
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);
    const publicOnes = [modelIds[2], await insertModel(alice.id, { entity_name: "Public Kitty", is_public: true })];
    const first = await sendGroup(alice, { modelIds: publicOnes, message: "Hi", strategy: "list" });
    const mallory = await createUser("mallory");

    const cont = await sendGroup(mallory, { modelIds: publicOnes, message: "Me too", conversationId: first.json.conversationId });
    const read = await getGroupConversations(mallory, `?conversationId=${first.json.conversationId}`);
    const list = await getGroupConversations(mallory);

    expect(cont.status).toBe(404);
    expect(read.status).toBe(404);
    expect(list.json.conversations).toEqual([]);
    expect((await groupRows(first.json.conversationId)).length).toBe(3);
  });

  it("continuing with other personas than the conversation's is a 422 on modelIds", async () => {
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);
    const first = await sendGroup(alice, { modelIds: modelIds.slice(0, 2), message: "Hi", strategy: "list" });

    const { status, json } = await sendGroup(alice, { modelIds, message: "Again", conversationId: first.json.conversationId });

    expect(status).toBe(422);
    expect(json.error.details[0].path).toEqual(["modelIds"]);
  });

  it("a quota with fewer turns left than replies is a 429 that stores and spends nothing", async () => {
    configure({ DAILY_CHAT_QUOTA: "2" });
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);

    const { status, json } = await sendGroup(alice, { modelIds, message: "All of you", strategy: "list" });

    expect(status).toBe(429);
    expect(json.resetAt).toEqual(expect.any(String));
    expect(await quotaUsed(alice.id)).toBe(0);
    expect(sim.chatRequests).toHaveLength(0);
  });

  it("a provider failure mid-round is a 502 that stores nothing and gives every turn back", async () => {
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);
    // The first persona answers; every attempt for the second fails (others fall through to the simulator).
    server.use(http.post(CHAT_URL, async ({ request }) => {
      const body = await request.clone().json() as { messages: { content: string }[] };
      if (body.messages[0].content.startsWith(`You are ${NAMES[1]}.`)) {
        return HttpResponse.json({ error: { message: "boom", type: "server_error" } }, { status: 500 });
      }
    }));
    const { status, json } = await sendGroup(alice, { modelIds, message: "Hello?", strategy: "list" });

    expect(status).toBe(502);
    expect(json.error).toMatchObject({ retryable: true });
    expect(await groupMessageCount(alice.id)).toBe(0);
    expect(await quotaUsed(alice.id)).toBe(0);
    for (const id of modelIds) expect((await modelRow(id)).chat_count).toBe(0);
    expect(sim.chatRequests.every((request) => request.model === FALLBACK_MODEL)).toBe(true);
  });
});

describe("group conversations: listing", () => {
  it("lists the caller's group conversations newest first with participants, paged by cursor", async () => {
    const alice = await createUser("alice");
    const modelIds = await threePersonas(alice);
    const older = await sendGroup(alice, { modelIds: modelIds.slice(0, 2), message: "First", strategy: "list" });
    const newer = await sendGroup(alice, { modelIds, message: "Second", strategy: "manual", speaker: modelIds[2] });

    const page1 = await getGroupConversations(alice, "?limit=1");
    const page2 = await getGroupConversations(alice, `?limit=1&cursor=${page1.json.nextCursor}`);

    expect(page1.status).toBe(200);
    expect(page1.json.conversations).toEqual([{
      conversationId: newer.json.conversationId,
      startedAt: expect.any(String),
      participants: modelIds.map((modelId, i) => ({ modelId, name: NAMES[i] })),
      messageCount: 2,
    }]);
    expect(page2.json.conversations.map((c: { conversationId: string }) => c.conversationId)).toEqual([older.json.conversationId]);
    expect(page2.json.nextCursor).toBeNull();
  });
});
