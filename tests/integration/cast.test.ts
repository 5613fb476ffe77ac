import { beforeAll, describe, expect, it } from "vitest";
import cast from "../../functions/fine-tune-cast/handler.ts";
import createCharacter from "../../functions/fine-tune-character/handler.ts";
import {
  backgroundSettled,
  bookId,
  call,
  character,
  countModels,
  useCreateModelHarness,
} from "../support/create-model-harness.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";

// POST and GET /fine-tune-cast in-process, on the suite's own database and simulator: a book's
// cast created under one batch through the shared create, each member trained, duplicates of
// live models reported per member, and a bad entry refusing the whole request.

const { sim, createOwner, jobsFor } = useCreateModelHarness();

let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  alice = await createOwner("cast-alice");
  bob = await createOwner("cast-bob");
});

const bookInfo = { title: "The Lighthouse at Wrack Point", author: "Maren Hale", genre: "Literary mystery" };
const characters = (count: number) =>
  Array.from({ length: count }, (_, n) => ({
    name: `Islander ${n + 1}`,
    description: `Islander number ${n + 1} of Wrack Point, who saw the light go dark from the harbour.`,
  }));

const getCast = (user: TestUser | undefined, batchId: string) =>
  call(cast, `fine-tune-cast/${batchId}`, { token: user?.token, method: "GET" });

async function countBatches(ownerId: string): Promise<number> {
  const [{ count }] = await adminSql()<{ count: number }[]>`
    select count(*)::int as count from public.cast_batches where created_by = ${ownerId}`;
  return count;
}

describe("fine-tune-cast", () => {
  it("a cast of 12 creates 12 models under one batch, each with its own training run", async () => {
    const book = bookId();
    const { status, json } = await call(cast, "fine-tune-cast", {
      token: alice.token,
      body: { bookId: book, bookInfo, quickTune: true, author: { name: "Maren Hale" }, characters: characters(11) },
    });

    expect(status).toBe(202);
    expect(json).toMatchObject({ success: true, batchId: json.batch.id, estimatedTime: "10-20 minutes" });
    expect(json.batch).toMatchObject({ bookId: book, bookInfo, quickTune: true });
    const members = json.batch.members;
    expect(members).toHaveLength(12);
    expect(members.map((m: any) => [m.index, m.type, m.outcome])).toEqual(
      members.map((_: unknown, n: number) => [n, n === 0 ? "author" : "character", "created"]),
    );
    expect(members[0]).toMatchObject({ name: "Maren Hale", error: null, model: { type: "author", entity_name: "Maren Hale" } });
    for (const member of members) {
      expect(member.model).toMatchObject({ name: member.name, book_id: book, quick_tune: true, created_by: alice.id, status: "pending" });
    }
    expect(new Set(members.map((m: any) => m.model.id)).size).toBe(12);

    // Through the training queue: each member's background preparation starts one job of its own run.
    for (const member of members) {
      await backgroundSettled(member.model.id);
      const jobs = jobsFor(member.model.id);
      expect(jobs).toHaveLength(1);
      expect(jobs[0].hyperparameters.n_epochs).toBe(2);
    }
    const runs = await adminSql()<{ model_id: string; runs: number }[]>`
      select r.model_id, count(*)::int as runs from public.training_runs r
      join public.cast_batch_members x on x.model_id = r.model_id
      where x.batch_id = ${json.batchId} group by r.model_id`;
    expect(runs).toHaveLength(12);
    expect(runs.every((row) => row.runs === 1)).toBe(true);

    const followed = await getCast(alice, json.batchId);
    expect(followed.status).toBe(200);
    expect(followed.json.batch.members.map((m: any) => m.model.openai_job_id)).toEqual(
      members.map((m: any) => jobsFor(m.model.id)[0].id),
    );
    expect(followed.json.batch.members.every((m: any) => m.model.status === "pending" || m.model.status === "training"))
      .toBe(true);
  });

  it("respects the creation quotas: members past the user's quota are refused per entry with a 429 and leave nothing", async () => {
    useStackEnvironment({ MODEL_CREATE_DAILY_QUOTA: "5", TRAININGS_IN_FLIGHT_PER_USER: "100" });
    const carol = await createUser("cast-quota");
    const { status, json } = await call(cast, "fine-tune-cast", {
      token: carol.token,
      body: { bookId: bookId(), bookInfo, quickTune: true, characters: characters(12) },
    });
    expect(status).toBe(202);
    const outcomes = json.batch.members.map((m: any) => m.outcome);
    expect(outcomes).toEqual([...Array(5).fill("created"), ...Array(7).fill("refused")]);
    for (const member of json.batch.members.slice(5)) {
      expect(member).toMatchObject({ model: null, error: { status: 429, code: "too_many_requests", resetAt: expect.any(String) } });
    }
    for (const member of json.batch.members.slice(0, 5)) await backgroundSettled(member.model.id);
    expect(await countModels(carol.id)).toBe(5);
    const [{ runs }] = await adminSql()<{ runs: number }[]>`
      select count(*)::int as runs from public.training_runs r
      join private.fine_tuned_models m on m.id = r.model_id where m.created_by = ${carol.id}`;
    expect(runs).toBe(5);

    // Past the trainings in flight members wait in the queue; past the queued allowance too, they are refused.
    useStackEnvironment({ MODEL_CREATE_DAILY_QUOTA: "100", TRAININGS_IN_FLIGHT_PER_USER: "2", TRAININGS_QUEUED_PER_USER: "4" });
    const capped = await call(cast, "fine-tune-cast", {
      token: carol.token,
      body: { bookId: bookId(), bookInfo, quickTune: true, characters: characters(3) },
    });
    expect(capped.json.batch.members.map((m: any) => m.outcome)).toEqual(["created", "refused", "refused"]);
    expect(capped.json.batch.members[1].error).toMatchObject({ status: 429, code: "too_many_requests" });
    expect(await countModels(carol.id)).toBe(6);
  });

  it("reports a live twin per member with the existing model, and creates the others", async () => {
    const book = bookId();
    const single = await call(createCharacter, "fine-tune-character", {
      token: alice.token,
      body: { ...character, bookId: book },
    });
    expect(single.status).toBe(202);
    await backgroundSettled(single.json.model.id);

    const { status, json } = await call(cast, "fine-tune-cast", {
      token: alice.token,
      body: {
        bookId: book,
        bookInfo,
        characters: [{ name: "isla corran", description: "The keeper's daughter." }, ...characters(2)],
      },
    });
    expect(status).toBe(202);
    expect(json.estimatedTime).toBe("20-40 minutes");
    expect(json.batch.members.map((m: any) => m.outcome)).toEqual(["exists", "created", "created"]);
    expect(json.batch.members[0]).toMatchObject({ name: "isla corran", error: null, model: { id: single.json.model.id, name: "Isla Corran" } });
    expect(json.batch.members[1].model.quick_tune).toBe(false);
    for (const member of json.batch.members.slice(1)) await backgroundSettled(member.model.id);
  });

  it("without fine-tuning at the provider, every member still becomes usable in persona mode", async () => {
    sim.refuseFineTuning({ status: 403 });
    const { status, json } = await call(cast, "fine-tune-cast", {
      token: alice.token,
      body: { bookId: bookId(), bookInfo, quickTune: true, characters: characters(3) },
    });
    expect(status).toBe(202);
    for (const member of json.batch.members) {
      const settled = await backgroundSettled(member.model.id);
      expect(settled.status).toBe("ready");
    }
    const followed = await getCast(alice, json.batchId);
    expect(followed.json.batch.members.map((m: any) => [m.outcome, m.model.status, m.model.chat_mode])).toEqual(
      [["created", "ready", "persona"], ["created", "ready", "persona"], ["created", "ready", "persona"]],
    );
  });

  const bad: [string, () => unknown, (string | number)[][]][] = [
    ["a character without a description", () => ({ characters: [...characters(3), { name: "Ewan" }] }), [["characters", 3, "description"]]],
    ["a blank name", () => ({ characters: [{ name: " ", description: "x" }] }), [["characters", 0, "name"]]],
    ["21 members with the author", () => ({ author: { name: "Maren Hale" }, characters: characters(20) }), [["characters"]]],
    ["21 characters", () => ({ characters: characters(21) }), [["characters"]]],
    ["no characters", () => ({ characters: [] }), [["characters"]]],
    ["the same character twice", () => ({ characters: [...characters(2), { name: "ISLANDER 1", description: "again" }] }), [["characters", 2, "name"]]],
    ["a book without an author", () => ({ bookInfo: { title: "Wrack Point" }, characters: characters(1) }), [["bookInfo", "author"]]],
    ["a bad example of one member", () => ({
      characters: [...characters(1), { ...characters(1)[0], name: "Ewan", examples: [{ messages: [{ role: "user", content: "hi" }] }] }],
    }), [["characters", 1, "examples", 0, "messages"]]],
  ];

  it.each(bad)("%s: 422 naming the entry, and nothing written", async (_label, body, paths) => {
    const models = await countModels(bob.id);
    const batches = await countBatches(bob.id);
    const { status, json } = await call(cast, "fine-tune-cast", {
      token: bob.token,
      body: { bookId: bookId(), bookInfo, ...(body() as object) },
    });
    expect(status).toBe(422);
    expect(json.error.code).toBe("validation_failed");
    for (const path of paths) {
      expect(json.error.details.map((issue: any) => issue.path)).toContainEqual(path);
    }
    expect(await countModels(bob.id)).toBe(models);
    expect(await countBatches(bob.id)).toBe(batches);
  });

  it("needs a token, and shows a batch only to the user who asked for it", async () => {
    const anonymous = await call(cast, "fine-tune-cast", { body: { bookId: bookId(), bookInfo, characters: characters(1) } });
    expect(anonymous.status).toBe(401);
    expect(await countBatches(bob.id)).toBe(0);

    const { json } = await call(cast, "fine-tune-cast", {
      token: alice.token,
      body: { bookId: bookId(), bookInfo, quickTune: true, characters: characters(1) },
    });
    await backgroundSettled(json.batch.members[0].model.id);
    expect((await getCast(bob, json.batchId)).status).toBe(404);
    expect((await getCast(undefined, json.batchId)).status).toBe(401);
    expect((await getCast(alice, crypto.randomUUID())).status).toBe(404);
    const bad = await getCast(alice, "not-a-uuid");
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toEqual(["batchId"]);
  });

  it("keeps a member whose model was deleted, without its model", async () => {
    const { json } = await call(cast, "fine-tune-cast", {
      token: alice.token,
      body: { bookId: bookId(), bookInfo, quickTune: true, characters: characters(2) },
    });
    for (const member of json.batch.members) await backgroundSettled(member.model.id);
    await adminSql()`delete from private.fine_tuned_models where id = ${json.batch.members[0].model.id}`;
    const followed = await getCast(alice, json.batchId);
    expect(followed.json.batch.members.map((m: any) => [m.outcome, m.model?.id ?? null])).toEqual(
      [["created", null], ["created", json.batch.members[1].model.id]],
    );
  });
});
