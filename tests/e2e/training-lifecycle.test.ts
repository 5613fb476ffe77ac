import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callFunction } from "../support/http.ts";
import { adminSql, closeAdminSql, createUser, deleteUsers, serviceKey, type TestUser } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";

// The lifecycle over HTTP on the running stack (functions served by Deno, the simulator's jobs take
// 3 s): a quick model is created, and the schedule's own path (pg_cron's SQL -> NOTIFY -> relay ->
// POST /training-sync with the service key) takes it to `completed`.
const WAIT_MS = 25_000;

describe("training lifecycle over HTTP", () => {
  let reader: TestUser;

  beforeAll(async () => {
    reader = await createUser("lifecycle");
  });
  afterAll(async () => {
    await deleteUsers(reader);
    await closeAdminSql();
  });

  it("training-sync answers 401 without credentials, 403 for a user and a report for the service key", async () => {
    expect((await callFunction("training-sync", { body: {} })).status).toBe(401);
    expect((await callFunction("training-sync", { body: {}, token: reader.token })).status).toBe(403);
    const { status, json } = await callFunction("training-sync", { body: {}, headers: { apikey: serviceKey } });
    // Other suites' models share this database: some of theirs may be unreachable from here (207).
    expect([200, 207]).toContain(status);
    expect(json).toMatchObject({
      claimed: expect.any(Number),
      advanced: expect.any(Number),
      completed: expect.any(Number),
      failed: expect.any(Number),
      resumed: expect.any(Number),
      errors: expect.any(Number),
    });
    expect(json.success).toBe(status === 200);
    expect((await callFunction("training-sync", { body: { batchSize: 0 }, headers: { apikey: serviceKey } })).status).toBe(422);
  });

  it("takes a quick model from pending to completed through the scheduled sync", async () => {
    const created = await callFunction("fine-tune-quick", {
      token: reader.token,
      body: {
        type: "author",
        entityName: "Ada Byron",
        description: "Writes about engines and the poetry of numbers.",
        bookInfo: { title: "Engines", author: "Ada Byron", description: "A novel of looms and numbers." },
        bookId: `book-${crypto.randomUUID()}`,
      },
    });
    expect(created.status).toBe(202);
    const modelId: string = created.json.model.id;
    const status = async () => (await callFunction(`fine-tune-status/${modelId}`, { token: reader.token })).json;

    await waitFor(async () => (await status()).model.openai_job_id, {
      timeoutMs: WAIT_MS,
      intervalMs: 250,
      description: "the provider job",
    });
    const seen = new Set<string>();
    const final = await waitFor(async () => {
      // A run waits 30 s between checks in production; make it due, then let the schedule run
      // (pg_net posts it in the background: the next poll sees what it did).
      await adminSql()`update public.training_runs set next_check_at = now() where model_id = ${modelId} and status in ('pending', 'training')`;
      await adminSql()`select private.invoke_edge_function('training-sync')`;
      const answer = await status();
      seen.add(answer.status);
      return answer.status === "completed" && answer;
    }, { timeoutMs: WAIT_MS, intervalMs: 500, description: "the model to complete" });

    expect(final).toMatchObject({ success: true, ready: true, model: { chat_mode: "fine-tuned", error: null } });
    expect(final.model.openai_model_id).toMatch(/^ft:/);
    expect(final.model.training_completed_at).toEqual(expect.any(String));
    expect(final.progress).toMatchObject({ providerStatus: "succeeded", percent: 100 });
    expect([...seen].every((value) => ["pending", "training", "completed"].includes(value))).toBe(true);
  });
});
