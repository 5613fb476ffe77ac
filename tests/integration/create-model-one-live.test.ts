import { beforeAll, describe, expect, it } from "vitest";
import createAuthor from "../../functions/fine-tune-author/handler.ts";
import {
  author,
  backgroundSettled,
  bookId,
  call,
  countModels,
  useCreateModelHarness,
} from "../support/create-model-harness.ts";
import { adminSql, type TestUser } from "../support/stack.ts";

const { sim, createOwner, jobsFor } = useCreateModelHarness();

let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  alice = await createOwner("create-alice");
  bob = await createOwner("create-bob");
});

describe("one live model per owner, kind, book and entity", () => {
  it("20 identical requests at once: one 202 and one job; 19 answer 409 with that model", async () => {
    const book = bookId();
    const before = await countModels(alice.id);

    const responses = await Promise.all(Array.from({ length: 20 }, () =>
      call(createAuthor, "fine-tune-author", { token: alice.token, body: { ...author, bookId: book } })
    ));

    const created = responses.filter((response) => response.status === 202);
    const conflicts = responses.filter((response) => response.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const modelId = created[0].json.model.id;
    for (const conflict of conflicts) {
      expect(conflict.json).toMatchObject({
        success: false,
        error: { code: "already_exists" },
        model: { id: modelId, book_id: book, type: "author", entity_name: "Maren Hale" },
      });
    }
    const rows = await adminSql()<{ id: string }[]>`
      select id from public.fine_tuned_models where created_by = ${alice.id} and book_id = ${book}`;
    expect(rows.map((row) => row.id)).toEqual([modelId]);
    expect(await countModels(alice.id)).toBe(before + 1);

    await backgroundSettled(modelId);
    expect(jobsFor(modelId)).toHaveLength(1);
    expect(sim.jobs.size).toBe(1);
  });

  it("a later identical request answers 409; the entity name is matched without regard to case", async () => {
    const book = bookId();
    const first = await call(createAuthor, "fine-tune-author", { token: alice.token, body: { ...author, bookId: book } });
    expect(first.status).toBe(202);
    await backgroundSettled(first.json.model.id);

    const again = await call(createAuthor, "fine-tune-author", {
      token: alice.token,
      body: { ...author, authorName: "MAREN HALE", bookId: book },
    });

    expect(again.status).toBe(409);
    expect(again.json.model.id).toBe(first.json.model.id);
    expect(again.json.model.status).not.toBe("failed");
    expect(sim.jobs.size).toBe(1);
  });

  it("another user, another book or a failed earlier model do not block a new one", async () => {
    const book = bookId();
    const first = await call(createAuthor, "fine-tune-author", { token: alice.token, body: { ...author, bookId: book } });
    await backgroundSettled(first.json.model.id);

    const otherUser = await call(createAuthor, "fine-tune-author", { token: bob.token, body: { ...author, bookId: book } });
    const otherBook = await call(createAuthor, "fine-tune-author", { token: alice.token, body: { ...author, bookId: bookId() } });
    expect(otherUser.status).toBe(202);
    expect(otherBook.status).toBe(202);
    await backgroundSettled(otherUser.json.model.id);
    await backgroundSettled(otherBook.json.model.id);

    await adminSql()`update public.fine_tuned_models set status = 'failed' where id = ${first.json.model.id}`;
    const retry = await call(createAuthor, "fine-tune-author", { token: alice.token, body: { ...author, bookId: book } });
    expect(retry.status).toBe(202);
    expect(retry.json.model.id).not.toBe(first.json.model.id);
    await backgroundSettled(retry.json.model.id);
  });
});
