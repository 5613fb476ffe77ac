import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callFunction } from "../support/http.ts";
import { insertModel } from "../support/models.ts";
import { parseEventStream } from "../support/sse.ts";
import { closeAdminSql, createUser, type TestUser } from "../support/stack.ts";

// Group chats over HTTP against the functions served by Deno, the real database and the stack's
// simulator; every answer is checked against openapi.json by callFunction.
describe("group chat over HTTP", () => {
  let reader: TestUser;
  let stranger: TestUser;
  let modelIds: string[];

  beforeAll(async () => {
    reader = await createUser("e2e-group");
    stranger = await createUser("e2e-group-stranger");
    modelIds = await Promise.all(["Elinor Dashwood", "Marianne Dashwood", "Colonel Brandon"].map((name) =>
      insertModel(reader.id, { type: "character", entity_name: name, style_description: `You are ${name}.` })));
  });
  afterAll(closeAdminSql);

  it("answers a round as JSON, continues it, and reads it back in order", async () => {
    const first = await callFunction("fine-tune-group-chat", {
      token: reader.token,
      body: { modelIds, message: "What do you think of Willoughby?", strategy: "list" },
    });
    expect(first.status).toBe(200);
    expect(first.json.replies.map((reply: { modelId: string }) => reply.modelId)).toEqual(modelIds);

    const second = await callFunction("fine-tune-group-chat", {
      token: reader.token,
      body: { modelIds, message: "Colonel?", strategy: "manual", speaker: modelIds[2], conversationId: first.json.conversationId },
    });
    expect(second.status).toBe(200);
    expect(second.json.replies).toHaveLength(1);

    const read = await callFunction(`fine-tune-group-conversations?conversationId=${first.json.conversationId}`, { token: reader.token });
    expect(read.status).toBe(200);
    expect(read.json.conversation.messages.map((message: { order: number }) => message.order)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(read.json.conversation.messages.at(-1).speaker).toBe("Colonel Brandon");
    // Which model answered each reply reads back as the round said it (null for the reader's messages).
    const answered = [...first.json.replies, ...second.json.replies].map((reply: { usingFallback: boolean }) => reply.usingFallback);
    expect(read.json.conversation.messages.map((message: { usingFallback: boolean | null }) => message.usingFallback))
      .toEqual([null, ...answered.slice(0, 3), null, answered[3]]);

    const list = await callFunction("fine-tune-group-conversations", { token: reader.token });
    expect(list.status).toBe(200);
    expect(list.json.conversations[0]).toMatchObject({ conversationId: first.json.conversationId, messageCount: 6 });
  });

  it("streams deltas that name their speaker, then done", async () => {
    const { status, text } = await callFunction("fine-tune-group-chat", {
      token: reader.token,
      headers: { Accept: "text/event-stream" },
      body: { modelIds: modelIds.slice(0, 2), message: "Both of you, please.", strategy: "list" },
    });
    expect(status).toBe(200);
    const events = parseEventStream(text);
    expect(new Set(events.filter((event) => event.event === "delta").map((event) => event.data.modelId)))
      .toEqual(new Set(modelIds.slice(0, 2)));
    expect(events.at(-1)).toMatchObject({ event: "done", data: { replies: [{ messageOrder: 2 }, { messageOrder: 3 }] } });
  });

  it("refuses bad input (422), no token (401), and another user's private personas and conversations (404)", async () => {
    const invalid = await callFunction("fine-tune-group-chat", { token: reader.token, body: { modelIds: [modelIds[0]], message: "" } });
    expect(invalid.status).toBe(422);

    const anonymous = await callFunction("fine-tune-group-chat", { body: { modelIds, message: "Hi" } });
    expect(anonymous.status).toBe(401);

    const hidden = await callFunction("fine-tune-group-chat", { token: stranger.token, body: { modelIds, message: "Hi" } });
    expect(hidden.status).toBe(404);
    expect(hidden.json.error.details[0].path).toEqual(["modelIds", 0]);

    const round = await callFunction("fine-tune-group-chat", { token: reader.token, body: { modelIds, message: "Private", strategy: "list" } });
    const read = await callFunction(`fine-tune-group-conversations?conversationId=${round.json.conversationId}`, { token: stranger.token });
    expect(read.status).toBe(404);
  });
});
