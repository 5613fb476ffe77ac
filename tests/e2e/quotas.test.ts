import { afterAll, describe, expect, it } from "vitest";
import { createStoryvoiceClient, StoryvoiceError } from "../../sdk/index.ts";
import { callFunction } from "../support/http.ts";
import { adminSql, closeAdminSql, createUser, stack, type TestUser } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";

// The plan's quotas and the usage endpoint over HTTP, served by Deno: every answer checked against
// openapi.json, and the SDK's getUsage and its 429.

afterAll(closeAdminSql);

const quick = (entityName: string) => ({
  type: "character",
  entityName,
  description: "A ferry pilot who knows every rock of the sound by its sound.",
  bookId: `book-${crypto.randomUUID()}`,
  bookInfo: { title: "The Sound", author: "Maren Hale", description: "A ferry, a fog, a missing bell." },
});

async function onPlan(userId: string, quotas: { models: number; chats: number; inFlight?: number }) {
  const plan = `e2e-${crypto.randomUUID().slice(0, 8)}`;
  await adminSql()`
    insert into public.plans (id, name, models_per_day, trainings_in_flight, chat_messages_per_day)
    values (${plan}, 'E2E', ${quotas.models}, ${quotas.inFlight ?? 10}, ${quotas.chats})`;
  await adminSql()`insert into private.user_plans (user_id, plan_id) values (${userId}, ${plan})`;
  return plan;
}

describe("quotas and usage over HTTP", () => {
  it("a create past the plan's daily models is a documented 429 with Retry-After; usage says so", async () => {
    const reader = await createUser("e2e-quota");
    const plan = await onPlan(reader.id, { models: 1, chats: 40 });
    const first = await callFunction("fine-tune-quick", { token: reader.token, body: quick("Wren") });
    expect(first.status).toBe(202);
    const second = await callFunction("fine-tune-quick", { token: reader.token, body: quick("Ash") });
    expect(second.status).toBe(429);
    expect(second.json).toMatchObject({ quota: "models_per_day", limit: 1, error: { code: "too_many_requests", retryable: true } });
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    const usage = await callFunction("fine-tune-usage", { token: reader.token });
    expect(usage.status).toBe(200);
    expect(usage.json.plan).toEqual({ id: plan, name: "E2E" });
    expect(usage.json.quotas.modelsPerDay).toEqual({ used: 1, limit: 1 });
    expect(usage.json.quotas.chatMessagesPerDay).toEqual({ used: 0, limit: 40 });
    expect(usage.json.days).toHaveLength(30);
  });

  it("validation and auth answers are documented", async () => {
    const reader = await createUser("e2e-usage");
    const bad = await callFunction("fine-tune-usage?days=90", { token: reader.token });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toEqual(["days"]);
    const anonymous = await callFunction("fine-tune-usage");
    expect(anonymous.status).toBe(401);
    const wrongMethod = await callFunction("fine-tune-usage", { method: "POST", token: reader.token, body: {} });
    expect(wrongMethod.status).toBe(405);
  });

  it("the SDK reads usage and reports a quota's 429 with resetAt", async () => {
    const reader = await createUser("e2e-sdk-usage");
    await onPlan(reader.id, { models: 0, chats: 10 });
    const client = createStoryvoiceClient({ url: stack().functionsUrl.replace(/\/functions\/v1$/, ""), auth: () => reader.token });
    const usage = await client.getUsage({ days: 3 });
    expect(usage.days).toHaveLength(3);
    expect(usage.quotas.modelsPerDay).toEqual({ used: 0, limit: 0 });
    const refused = await client.createQuick(quick("Gull") as Parameters<typeof client.createQuick>[0]).catch((error) => error);
    expect(refused).toBeInstanceOf(StoryvoiceError);
    expect(refused).toMatchObject({ status: 429, code: "too_many_requests", retryable: true });
    expect(refused.resetAt).toBeInstanceOf(Date);
    expect(refused.quota).toEqual({ name: "models_per_day", limit: 0 });
  });

  it("a cast past the plan's trainings in flight queues its last member with its place; a twin is 409 before any quota", async () => {
    const reader: TestUser = await createUser("e2e-cast-queue");
    await onPlan(reader.id, { models: 3, chats: 10, inFlight: 2 });
    const client = createStoryvoiceClient({ url: stack().functionsUrl.replace(/\/functions\/v1$/, ""), auth: () => reader.token });
    const bookId = `book-${crypto.randomUUID()}`;
    const bookInfo = { title: "The Sound", author: "Maren Hale" };
    const characters = ["Wren", "Ash", "Gull"].map((name) => ({ name, description: `${name}, who keeps the ferry.` }));
    const cast = await client.createCast({ bookId, bookInfo, quickTune: true, characters });
    expect(cast.batch.members.map((m) => m.outcome)).toEqual(["created", "created", "created"]);

    // Two start at the provider; the third waits in the queue, and its status shows its place.
    const ids = cast.batch.members.map((m) => m.model!.id);
    const statuses = await waitFor(async () => {
      const all = await Promise.all(ids.map((id) => client.getStatus(id)));
      const started = all.filter((s) => s.model.openai_job_id).length;
      return started === 2 && all.some((s) => s.queue) ? all : undefined;
    }, { timeoutMs: 20_000, intervalMs: 250, description: "two started and one queued" });
    const queued = statuses.find((s) => s.queue)!;
    expect(queued.model.openai_job_id).toBeNull();
    expect(queued.queue!.position).toBeGreaterThanOrEqual(1);

    // The day's 3 models are spent and 2 trainings are in flight: asking again for Wren is the
    // existing model, not a quota.
    const twin = await client.createCharacter({ characterName: "wren", characterDescription: "Again.", bookId, bookInfo })
      .catch((error) => error);
    expect(twin).toBeInstanceOf(StoryvoiceError);
    expect(twin).toMatchObject({ status: 409, model: { id: ids[0] } });
  });
});
