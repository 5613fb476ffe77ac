import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callFunction } from "../support/http.ts";
import { closeAdminSql, createUser, deleteUsers, type TestUser } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";

// A book's cast and chat sharing over HTTP (functions served by Deno, the simulator training):
// every answer is one openapi.json documents, and the cast's members each reach a training run.

describe("the whole cast and chat sharing over HTTP", () => {
  let owner: TestUser;
  let reader: TestUser;

  beforeAll(async () => {
    owner = await createUser("cast-e2e");
    reader = await createUser("sharing-e2e");
  });

  afterAll(async () => {
    await deleteUsers(owner, reader);
    await closeAdminSql();
  });

  it("creates a cast, reports a live twin per member, and follows each member's training", async () => {
    const bookId = `cast-e2e-${crypto.randomUUID()}`;
    const bookInfo = { title: "Middlemarch", author: "George Eliot" };
    const characters = [
      { name: "Dorothea Brooke", description: "Ardent, idealistic, and set on doing good." },
      { name: "Tertius Lydgate", description: "A young doctor with reforming ambitions." },
    ];
    const created = await callFunction("fine-tune-cast", {
      token: owner.token,
      body: { bookId, bookInfo, quickTune: true, author: { name: "George Eliot" }, characters },
    });
    expect(created.status).toBe(202);
    expect(created.json.batch.members.map((m: any) => m.outcome)).toEqual(["created", "created", "created"]);

    const again = await callFunction("fine-tune-cast", {
      token: owner.token,
      body: { bookId, bookInfo, quickTune: true, characters: [characters[0], { name: "Fred Vincy", description: "Charming and idle." }] },
    });
    expect(again.status).toBe(202);
    expect(again.json.batch.members.map((m: any) => [m.outcome, m.model?.id])).toEqual([
      ["exists", created.json.batch.members[1].model.id],
      ["created", expect.any(String)],
    ]);

    const followed = await waitFor(async () => {
      const answer = await callFunction(`fine-tune-cast/${created.json.batchId}`, { token: owner.token });
      return answer.json.batch.members.every((m: any) => m.model.openai_job_id) ? answer : undefined;
    }, { timeoutMs: 20_000, intervalMs: 250, description: "a training job for every member" });
    expect(followed.status).toBe(200);

    const refused = await callFunction("fine-tune-cast", { token: owner.token, body: { bookId, bookInfo, characters: [{ name: "X" }] } });
    expect(refused.status).toBe(422);
    expect(refused.json.error.details[0].path).toEqual(["characters", 0, "description"]);
    expect((await callFunction(`fine-tune-cast/${created.json.batchId}`, { token: reader.token })).status).toBe(404);
    expect((await callFunction("fine-tune-cast", { body: { bookId, bookInfo, characters } })).status).toBe(401);
  });

  it("reads and sets a reader's chat sharing", async () => {
    expect((await callFunction("fine-tune-chat-sharing", { token: reader.token })).json.shareRatedChats).toBe(false);
    const on = await callFunction("fine-tune-chat-sharing", { method: "PUT", token: reader.token, body: { shareRatedChats: true } });
    expect(on.status).toBe(200);
    expect(on.json.shareRatedChats).toBe(true);
    const bad = await callFunction("fine-tune-chat-sharing", { method: "PUT", token: reader.token, body: { shareRatedChats: 1 } });
    expect(bad.status).toBe(422);
    expect((await callFunction("fine-tune-chat-sharing", { method: "DELETE", token: reader.token })).status).toBe(405);
  });
});
