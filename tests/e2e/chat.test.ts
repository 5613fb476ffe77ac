import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callFunction } from "../support/http.ts";
import { insertModel } from "../support/models.ts";
import { joinedDeltas, parseEventStream } from "../support/sse.ts";
import { adminSql, closeAdminSql, createUser, serviceKey, stack, type TestUser } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";

// Chat and conversation history over HTTP against the functions served by Deno, the real database
// and the stack's OpenAI simulator. That simulator is shared with every other suite of the run, so
// this file uses only the control scoped to its own model (retire-model), never global faults.

const STYLE_GUIDE = "You are Ada Byron, the author of Engines. Speak in long, precise sentences.";
/** Keeps a pending arrangement away from the stack's scheduled training sync. */
const NEVER_DUE = "2100-01-01T00:00:00Z";

const engines = {
  title: "Engines",
  author: "Ada Byron",
  description: "A novel of looms, numbers and the first machine that could compose music.",
  genre: "Historical fiction",
};

/**
 * A model created end to end (POST /fine-tune-quick), trained by the simulator (3 s jobs) and taken
 * to `completed` by POST /training-sync; the row is made due each round instead of waiting 30 s.
 */
async function completedQuickModel(user: TestUser, entityName: string) {
  const created = await callFunction("fine-tune-quick", {
    token: user.token,
    body: {
      type: "character",
      entityName,
      description: `${entityName}, an engineer in the workshop who keeps the great loom running.`,
      bookId: `engines-${crypto.randomUUID()}`,
      bookInfo: engines,
    },
  });
  expect(created.status).toBe(202);
  const modelId: string = created.json.model.id;
  return await waitFor(async () => {
    await adminSql()`
      update public.training_runs set next_check_at = now()
      where model_id = ${modelId} and status in ('pending', 'training') and provider_job_id is not null`;
    await callFunction("training-sync", { body: {}, headers: { apikey: serviceKey } });
    const { json } = await callFunction(`fine-tune-status/${modelId}`, { token: user.token });
    if (json.status === "failed" || json.status === "ready") throw new Error(`model ended ${json.status}: ${json.model.error}`);
    return json.status === "completed" ? json.model as { id: string; openai_model_id: string } : null;
  }, { timeoutMs: 45_000, intervalMs: 500, description: `model ${modelId} to complete training` });
}

async function status(user: TestUser, modelId: string) {
  const { status, json } = await callFunction(`fine-tune-status/${modelId}`, { token: user.token });
  expect(status).toBe(200);
  return json.model;
}

async function storedModelsUsed(conversationId: string) {
  const rows = await adminSql()<{ model_used: string }[]>`
    select model_used from public.fine_tuned_chats where conversation_id = ${conversationId} order by message_order`;
  return rows.map((row) => row.model_used);
}

describe("chat over HTTP", () => {
  let reader: TestUser;
  let fineTuned: { id: string; openai_model_id: string };
  let toRetire: { id: string; openai_model_id: string };

  beforeAll(async () => {
    reader = await createUser("e2e-chat");
    [fineTuned, toRetire] = await Promise.all([
      completedQuickModel(reader, "Charles Loomwright"),
      completedQuickModel(reader, "Mary Cogsworth"),
    ]);
  });
  afterAll(closeAdminSql);

  it("holds a conversation of several turns in persona mode while the model is pending", async () => {
    const modelId = await insertModel(reader.id, {
      status: "pending",
      next_check_at: NEVER_DUE,
      entity_name: "Ada Byron",
      style_description: STYLE_GUIDE,
      book_id: `engines-${crypto.randomUUID()}`,
    });
    const before = await status(reader, modelId);
    expect(before).toMatchObject({ chat_count: 0, last_used_at: null, chat_mode: "persona" });

    const questions = ["Where did the engine begin?", "Who helped you build it?", "What would you change now?"];
    const answers: { response: string; conversationId: string }[] = [];
    let conversationId: string | undefined;
    for (const [i, message] of questions.entries()) {
      const { status: code, json } = await callFunction(`fine-tune-chat/${modelId}`, {
        token: reader.token,
        body: { message, conversationId },
      });
      expect(code).toBe(200);
      expect(json).toMatchObject({ success: true, usingFallback: true, messageOrder: i + 1 });
      expect(json.response).toContain("As Ada Byron");
      expect(json.response).toContain(message);
      conversationId ??= json.conversationId;
      expect(json.conversationId).toBe(conversationId);
      answers.push(json);
    }

    const history = await callFunction(`fine-tune-conversations/${modelId}`, { token: reader.token });
    expect(history.status).toBe(200);
    expect(history.json.conversations).toHaveLength(1);
    const [conversation] = history.json.conversations;
    expect(conversation.conversationId).toBe(conversationId);
    expect(conversation.messages.map(({ user, assistant }: { user: string; assistant: string }) => ({ user, assistant })))
      .toEqual(questions.map((user, i) => ({ user, assistant: answers[i].response })));

    const after = await status(reader, modelId);
    expect(after.chat_count).toBe(3);
    expect(Date.parse(after.last_used_at)).toBe(Date.parse(conversation.messages[2].timestamp));
    expect(after.status).toBe("pending");
  });

  it("a completed model answers with its own fine-tune, turn after turn", async () => {
    expect(fineTuned.openai_model_id).toMatch(/^ft:/);
    const before = await status(reader, fineTuned.id);
    expect(before.chat_mode).toBe("fine-tuned");

    const first = await callFunction(`fine-tune-chat/${fineTuned.id}`, { token: reader.token, body: { message: "What keeps the loom running?" } });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ usingFallback: false, messageOrder: 1 });
    const second = await callFunction(`fine-tune-chat/${fineTuned.id}`, {
      token: reader.token,
      body: { message: "And when it breaks?", conversationId: first.json.conversationId },
    });
    expect(second.json).toMatchObject({ usingFallback: false, messageOrder: 2, conversationId: first.json.conversationId });

    expect(await storedModelsUsed(first.json.conversationId)).toEqual([fineTuned.openai_model_id, fineTuned.openai_model_id]);
    const after = await status(reader, fineTuned.id);
    expect(after.chat_count).toBe(before.chat_count + 2);
    expect(after.last_used_at).not.toBeNull();
  });

  it("a fine-tune the provider retired falls back at once, is recorded, and stays in persona mode", async () => {
    const first = await callFunction(`fine-tune-chat/${toRetire.id}`, { token: reader.token, body: { message: "Hello?" } });
    expect(first.json.usingFallback).toBe(false);

    const retired = await fetch(`${stack().simulatorUrl}/__simulator/retire-model`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ modelId: toRetire.openai_model_id }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(retired.status).toBe(200);

    const second = await callFunction(`fine-tune-chat/${toRetire.id}`, {
      token: reader.token,
      body: { message: "Are you still there?", conversationId: first.json.conversationId },
    });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ usingFallback: true, messageOrder: 2 });

    const model = await status(reader, toRetire.id);
    expect(model).toMatchObject({ status: "completed", chat_mode: "persona", fine_tuned_model_retired_at: expect.any(String) });

    const third = await callFunction(`fine-tune-chat/${toRetire.id}`, {
      token: reader.token,
      body: { message: "And now?", conversationId: first.json.conversationId },
    });
    expect(third.json).toMatchObject({ usingFallback: true, messageOrder: 3 });
    const used = await storedModelsUsed(first.json.conversationId);
    expect(used[0]).toBe(toRetire.openai_model_id);
    expect(used.slice(1).every((model) => !model.startsWith("ft:"))).toBe(true);
  });

  it("streams an answer as Server-Sent Events whose deltas join to the stored answer", async () => {
    const modelId = await insertModel(reader.id, {
      status: "ready",
      entity_name: "Ada Byron",
      style_description: STYLE_GUIDE,
      book_id: `engines-${crypto.randomUUID()}`,
    });

    const streamed = await callFunction(`fine-tune-chat/${modelId}`, {
      token: reader.token,
      body: { message: "Tell me, at length, how the first program was written" },
      headers: { Accept: "text/event-stream" },
    });

    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(streamed.headers.get("cache-control")).toContain("no-cache");
    const events = parseEventStream(streamed.text);
    expect(events.filter((event) => event.event === "delta").length).toBeGreaterThan(1);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data).toEqual({
      conversationId: expect.any(String),
      tokensUsed: expect.any(Number),
      usingFallback: true,
      chatId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      messageOrder: 1,
      citations: [],
      memoriesUsed: [],
      readerPersonaId: null,
    });

    // `stream: true` in the body streams too, and continues the same conversation.
    const next = await callFunction(`fine-tune-chat/${modelId}`, {
      token: reader.token,
      body: { message: "Go on", stream: true, conversationId: done.data.conversationId },
    });
    const nextEvents = parseEventStream(next.text);
    expect(nextEvents.at(-1)).toMatchObject({ event: "done", data: { messageOrder: 2, conversationId: done.data.conversationId } });

    const history = await callFunction(`fine-tune-conversations/${modelId}`, { token: reader.token });
    const messages = history.json.conversations[0].messages;
    expect(messages.map((message: { assistant: string }) => message.assistant)).toEqual([joinedDeltas(events), joinedDeltas(nextEvents)]);
    expect(joinedDeltas(events)).toContain("As Ada Byron");
    expect((await status(reader, modelId)).chat_count).toBe(2);
  });

  it("keeps conversations private: another reader gets 404 for them, and for a private model", async () => {
    const other = await createUser("e2e-other");
    const publicModel = await insertModel(reader.id, { status: "ready", is_public: true });
    const privateModel = await insertModel(reader.id, { status: "ready", is_public: false });
    const mine = await callFunction(`fine-tune-chat/${publicModel}`, { token: reader.token, body: { message: "Mine" } });

    const intrusion = await callFunction(`fine-tune-chat/${publicModel}`, {
      token: other.token,
      body: { message: "Theirs", conversationId: mine.json.conversationId },
    });
    expect(intrusion.status).toBe(404);
    expect((await callFunction(`fine-tune-chat/${privateModel}`, { token: other.token, body: { message: "Hi" } })).status).toBe(404);
    expect((await callFunction(`fine-tune-conversations/${privateModel}`, { token: other.token })).status).toBe(404);

    // The other reader may chat with the public model in a conversation of their own, unseen by its owner.
    const own = await callFunction(`fine-tune-chat/${publicModel}`, { token: other.token, body: { message: "Theirs" } });
    expect(own.json).toMatchObject({ success: true, messageOrder: 1 });
    const ownersView = await callFunction(`fine-tune-conversations/${publicModel}`, { token: reader.token });
    expect(ownersView.json.conversations.map((c: { conversationId: string }) => c.conversationId)).toEqual([mine.json.conversationId]);
    expect((await status(reader, publicModel)).chat_count).toBe(2);
  });

  it("refuses bad input (422), strangers (401) and other methods (405), and answers preflight", async () => {
    const modelId = await insertModel(reader.id, { status: "ready" });

    const empty = await callFunction(`fine-tune-chat/${modelId}`, { token: reader.token, body: { message: "" } });
    expect(empty.status).toBe(422);
    expect(empty.json.error.details[0].path).toEqual(["message"]);
    expect((await callFunction(`fine-tune-chat/${modelId}`, { body: { message: "Hi" } })).status).toBe(401);
    expect((await callFunction(`fine-tune-chat/${modelId}`, { token: reader.token })).status).toBe(405);
    const preflight = await callFunction(`fine-tune-chat/${modelId}`, { method: "OPTIONS", headers: { Origin: "https://app.example" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect((await status(reader, modelId)).chat_count).toBe(0);
  });
});
