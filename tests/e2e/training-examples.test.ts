import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callFunction } from "../support/http.ts";
import { adminSql, closeAdminSql, createUser, deleteUsers, stack, type TestUser } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";

// Shaping a persona over HTTP (functions served by Deno, the stack's simulator with 3-second
// jobs): the owner reads, imports, adds, edits and deletes training examples, then retrains; chat
// stays on the first fine-tune while the new run trains, and the new run's training file (read
// back from the simulator) holds exactly the edited examples.

const line = (question: string, answer: string) =>
  JSON.stringify({
    messages: [
      { role: "system", content: "ignored: the style guide is the system prompt" },
      { role: "user", content: question },
      { role: "assistant", content: answer },
    ],
  });

async function status(modelId: string, token: string) {
  return (await callFunction(`fine-tune-status/${modelId}`, { token })).json;
}

/**
 * Makes the model's due runs due at once and runs the schedule's sync (pg_net posts it in the
 * background: the next poll sees what it did), until `done` holds.
 */
async function syncUntil<T>(modelId: string, token: string, done: (answer: any) => T | undefined): Promise<T> {
  return await waitFor(async () => {
    await adminSql()`update public.training_runs set next_check_at = now() where model_id = ${modelId} and status in ('pending', 'training')`;
    await adminSql()`select private.invoke_edge_function('training-sync')`;
    return done(await status(modelId, token)) ?? null;
  }, { timeoutMs: 30_000, intervalMs: 500, description: `model ${modelId} to reach the awaited state` });
}

async function uploadedTrainingFile(fileId: string): Promise<{ messages: { role: string; content: string }[] }[]> {
  const response = await fetch(`${stack().simulatorUrl}/v1/files/${fileId}/content`, {
    headers: { Authorization: "Bearer sk-e2e-reader" },
    signal: AbortSignal.timeout(5_000),
  });
  return (await response.text()).trim().split("\n").map((text) => JSON.parse(text));
}

describe("training examples and retraining over HTTP", () => {
  let owner: TestUser;
  let other: TestUser;
  let modelId: string;

  beforeAll(async () => {
    owner = await createUser("examples-owner");
    other = await createUser("examples-other");
    const created = await callFunction("fine-tune-quick", {
      token: owner.token,
      body: {
        type: "character",
        entityName: "Anne Elliot",
        description: "The overlooked middle Elliot daughter: quiet, steady, still in love after eight years.",
        bookInfo: { title: "Persuasion", author: "Jane Austen", description: "Anne Elliot meets again the captain she was persuaded to refuse." },
        bookId: `persuasion-${crypto.randomUUID()}`,
        isPublic: true,
      },
    });
    expect(created.status).toBe(202);
    modelId = created.json.model.id;
    await syncUntil(modelId, owner.token, (answer) => answer.status === "completed" ? answer : undefined);
  }, 60_000);

  afterAll(async () => {
    await deleteUsers(owner, other);
    await closeAdminSql();
  });

  it("lists the generated examples to the owner only", async () => {
    const { status: code, json } = await callFunction(`fine-tune-examples/${modelId}`, { token: owner.token });
    expect(code).toBe(200);
    expect(json.examples.length).toBeGreaterThanOrEqual(10);
    expect(json.examples.every((example: any) => example.source === "generated" && example.model_id === modelId))
      .toBe(true);
    expect(json.examples.map((example: any) => example.position)).toEqual(json.examples.map((_: unknown, i: number) => i));

    expect((await callFunction(`fine-tune-examples/${modelId}`, { token: other.token })).status).toBe(404);
    expect((await callFunction(`fine-tune-examples/${modelId}`)).status).toBe(401);
    expect((await callFunction(`fine-tune-examples/not-a-uuid`, { token: owner.token })).status).toBe(400);
  });

  it("refuses a JSONL import with a bad line as a whole, naming each bad line", async () => {
    const jsonl = [line("Why did you refuse him?", "I was persuaded."), "{not json", line("", "empty question")].join("\n");
    const { status: code, json } = await callFunction(`fine-tune-examples/${modelId}`, { token: owner.token, body: { jsonl } });
    expect(code).toBe(422);
    expect(json.error.details.map((issue: any) => issue.path)).toEqual([["jsonl", 2], ["jsonl", 3]]);
    expect(json.error.details[0].message).toBe("line 2 is not valid JSON");
    const listed = await callFunction(`fine-tune-examples/${modelId}`, { token: owner.token });
    expect(listed.json.examples.some((example: any) => example.source === "user")).toBe(false);

    const neither = await callFunction(`fine-tune-examples/${modelId}`, { token: owner.token, body: { topic: "x" } });
    expect(neither.status).toBe(422);
    expect((await callFunction(`fine-tune-examples/${modelId}`, {
      token: other.token,
      body: { jsonl: line("q", "a") },
    })).status).toBe(404);
  });

  it("imports, adds, edits and deletes, then a retrain trains on exactly those examples", async () => {
    const before = (await callFunction(`fine-tune-examples/${modelId}`, { token: owner.token })).json.examples;
    const firstFineTune = (await status(modelId, owner.token)).model.openai_model_id;
    expect(firstFineTune).toMatch(/^ft:/);

    const imported = await callFunction(`fine-tune-examples/${modelId}`, {
      token: owner.token,
      body: { jsonl: [line("Did you forget him?", "Never, not for one of the eight years."), line("And Lady Russell?", "She meant well.")].join("\n") + "\n" },
    });
    expect(imported.status).toBe(201);
    expect(imported.json.examples.map((example: any) => [example.source, example.position, example.messages.length]))
      .toEqual([["user", before.length, 2], ["user", before.length + 1, 2]]);

    const added = await callFunction(`fine-tune-examples/${modelId}`, {
      token: owner.token,
      body: {
        topic: "Lyme",
        messages: [
          { role: "user", content: "What happened at Lyme?" },
          { role: "assistant", content: "Louisa fell from the Cobb." },
          { role: "user", content: "And you?" },
          { role: "assistant", content: "I was useful, and he saw it." },
        ],
      },
    });
    expect(added.status).toBe(201);
    const lyme = added.json.examples[0];
    expect(lyme).toMatchObject({ source: "user", topic: "Lyme", position: before.length + 2 });

    const edited = await callFunction(`fine-tune-examples/${modelId}/${before[0].id}`, {
      method: "PATCH",
      token: owner.token,
      body: { messages: [{ role: "user", content: "Who wrote the letter?" }, { role: "assistant", content: "Captain Wentworth." }] },
    });
    expect(edited.status).toBe(200);
    expect(edited.json.example).toMatchObject({ id: before[0].id, source: "generated", topic: before[0].topic });
    expect((await callFunction(`fine-tune-examples/${modelId}/${before[0].id}`, {
      method: "PATCH",
      token: other.token,
      body: { topic: "Hijacked" },
    })).status).toBe(404);

    const deleted = await callFunction(`fine-tune-examples/${modelId}/${before[1].id}`, { method: "DELETE", token: owner.token });
    expect(deleted.status).toBe(200);
    expect((await callFunction(`fine-tune-examples/${modelId}/${before[1].id}`, { method: "DELETE", token: owner.token }))
      .status).toBe(404);

    const expected = (await callFunction(`fine-tune-examples/${modelId}`, { token: owner.token })).json.examples
      .map((example: any) => example.messages);

    expect((await callFunction(`fine-tune-retrain/${modelId}`, { body: {} })).status).toBe(401);
    expect((await callFunction(`fine-tune-retrain/${modelId}`, { token: other.token, body: {} })).status).toBe(404);
    expect((await callFunction(`fine-tune-retrain/${modelId}`, { token: owner.token, body: { provider: "nobody" } })).status)
      .toBe(422);
    const retrain = await callFunction(`fine-tune-retrain/${modelId}`, { token: owner.token, body: {} });
    expect(retrain.status).toBe(202);
    expect(retrain.json.model).toMatchObject({ status: "pending", chat_mode: "fine-tuned", openai_model_id: firstFineTune });
    const again = await callFunction(`fine-tune-retrain/${modelId}`, { token: owner.token, body: {} });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("training_in_progress");

    // Chat stays on the first fine-tune while the new run trains.
    const newJob = await waitFor(async () => {
      const answer = await status(modelId, owner.token);
      return answer.model.openai_job_id && answer.model.status !== "completed" ? answer : null;
    }, { timeoutMs: 20_000, intervalMs: 200, description: "the retrain's provider job" });
    expect(newJob.model).toMatchObject({ chat_mode: "fine-tuned", openai_model_id: firstFineTune });
    const chat = await callFunction(`fine-tune-chat/${modelId}`, { token: owner.token, body: { message: "Are you persuaded?" } });
    expect(chat.json.usingFallback).toBe(false);

    const done = await syncUntil(modelId, owner.token, (answer) =>
      answer.status === "completed" && answer.model.openai_model_id !== firstFineTune ? answer : undefined);
    expect(done.model).toMatchObject({ chat_mode: "fine-tuned", training_file_id: expect.any(String) });

    const [runs] = await adminSql()<{ count: number }[]>`select count(*)::int as count from public.training_runs where model_id = ${modelId}`;
    expect(runs.count).toBe(2);
    const file = await uploadedTrainingFile(done.model.training_file_id);
    expect(file.map((example) => example.messages.slice(1))).toEqual(expected);
    expect(file.every((example) => example.messages[0].role === "system")).toBe(true);
  }, 90_000);

  it("rates replies and turns the owner's up-rated exchanges into chat examples, each once", async () => {
    const chat = await callFunction(`fine-tune-chat/${modelId}`, { token: owner.token, body: { message: "Was it worth the wait?" } });
    expect(chat.status).toBe(200);
    const readerChat = await callFunction(`fine-tune-chat/${modelId}`, { token: other.token, body: { message: "And for me?" } });
    expect(readerChat.status).toBe(200);
    const chatIdOf = async (token: string, conversationId: string) => {
      const listed = await callFunction(`fine-tune-conversations/${modelId}`, { token });
      return listed.json.conversations.find((c: any) => c.conversationId === conversationId).messages[0].chatId as string;
    };
    const ownChat = await chatIdOf(owner.token, chat.json.conversationId);
    const readersChat = await chatIdOf(other.token, readerChat.json.conversationId);

    const rated = await callFunction(`fine-tune-chat-rating/${ownChat}`, { method: "PUT", token: owner.token, body: { rating: "up" } });
    expect(rated.status).toBe(200);
    expect(rated.json).toEqual({ success: true, chatId: ownChat, rating: "up" });
    expect((await callFunction(`fine-tune-chat-rating/${readersChat}`, { method: "PUT", token: other.token, body: { rating: "up" } }))
      .status).toBe(200);
    expect((await callFunction(`fine-tune-chat-rating/${readersChat}`, { method: "PUT", token: owner.token, body: { rating: "down" } }))
      .status).toBe(404);
    expect((await callFunction(`fine-tune-chat-rating/${ownChat}`, { method: "PUT", body: { rating: "up" } })).status).toBe(401);
    expect((await callFunction(`fine-tune-chat-rating/${ownChat}`, { method: "PUT", token: owner.token, body: { rating: 1 } }))
      .status).toBe(422);

    const taken = await callFunction(`fine-tune-examples/${modelId}`, { token: owner.token, body: { fromRatedChats: true } });
    expect(taken.status).toBe(201);
    expect(taken.json.examples.map((example: any) => [example.source, example.chat_id])).toEqual([["chat", ownChat]]);
    expect(taken.json.examples[0].messages[0]).toEqual({ role: "user", content: "Was it worth the wait?" });
    const again = await callFunction(`fine-tune-examples/${modelId}`, { token: owner.token, body: { fromRatedChats: true } });
    expect(again.json.examples).toEqual([]);
    expect((await callFunction(`fine-tune-examples/${modelId}`, { token: other.token, body: { fromRatedChats: true } })).status)
      .toBe(404);
  });
  it("a create carrying the reader's examples keeps them first and tops up to the plan's count", async () => {
    const created = await callFunction("fine-tune-quick", {
      token: other.token,
      body: {
        type: "author",
        entityName: "Jane Austen",
        description: "The author, at Chawton, revising Persuasion in her last year.",
        bookInfo: { title: "Persuasion", author: "Jane Austen", description: "A second chance at love, eight years on." },
        bookId: `persuasion-${crypto.randomUUID()}`,
        examples: [{ topic: "Endings", messages: [{ role: "user", content: "Why rewrite the ending?" }, { role: "assistant", content: "The first one was tame and flat." }] }],
      },
    });
    expect(created.status).toBe(202);
    const id = created.json.model.id;
    const listed = await waitFor(async () => {
      const answer = await callFunction(`fine-tune-examples/${id}`, { token: other.token });
      return answer.json.examples.length >= 10 ? answer.json.examples : null;
    }, { timeoutMs: 20_000, intervalMs: 200, description: "the topped-up examples" });
    expect(listed.length).toBe(10);
    expect(listed[0]).toMatchObject({ source: "user", topic: "Endings", position: 0 });
    expect(listed.slice(1).every((example: any) => example.source === "generated")).toBe(true);
  });
});
