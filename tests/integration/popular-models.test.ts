import { describe, expect, it } from "vitest";
import models from "../../functions/fine-tune-models/handler.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// GET /fine-tune-models?sort=popular in-process: chats of the last 30 days first, then all chats,
// keyset pages that neither skip nor repeat, and only what the caller may see.

useSuiteDatabase();

async function list(user: TestUser | null, query: string) {
  useStackEnvironment();
  const response = await models(new Request(`http://localhost/functions/v1/fine-tune-models?${query}`, {
    headers: user ? { Authorization: `Bearer ${user.token}` } : {},
  }));
  return { status: response.status, json: await response.json() };
}

/** `recent` chats within 30 days and `old` ones before, by `userId`; then the hourly refresh. */
async function chats(modelId: string, userId: string, recent: number, old = 0) {
  const sql = adminSql();
  for (let index = 0; index < recent + old; index++) {
    await sql`
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, created_at)
      values (${modelId}, ${userId}, ${crypto.randomUUID()}, 'q', 'a',
              now() - ${index < recent ? "1 day" : "40 days"}::interval)`;
  }
}

describe("GET /fine-tune-models?sort=popular", () => {
  it("orders by chats in the last 30 days, then by all chats, across pages, showing only visible models", async () => {
    const reader = await createUser("popular-reader");
    const author = await createUser("popular-author");
    const book = `book-${crypto.randomUUID()}`;
    const hot = await insertModel(author.id, { is_public: true, book_id: book, name: "Hot" });
    const oldFavourite = await insertModel(author.id, { is_public: true, book_id: book, name: "Old favourite" });
    const warm = await insertModel(author.id, { is_public: true, book_id: book, name: "Warm" });
    const own = await insertModel(reader.id, { book_id: book, name: "Own" });
    const hidden = await insertModel(author.id, { is_public: false, book_id: book, name: "Hidden" });
    await chats(hot, reader.id, 5);
    await chats(oldFavourite, reader.id, 1, 6);
    await chats(warm, reader.id, 1, 1);
    await chats(own, reader.id, 3);
    await chats(hidden, author.id, 9);
    const [{ changed }] = await adminSql()<{ changed: number }[]>`select private.refresh_model_popularity() as changed`;
    expect(changed).toBeGreaterThanOrEqual(5);

    const first = await list(reader, `sort=popular&bookId=${book}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.models.map((model: { name: string }) => model.name)).toEqual(["Hot", "Own"]);
    expect(first.json.models[0]).toMatchObject({ chat_count: 5 });
    const second = await list(reader, `sort=popular&bookId=${book}&limit=2&cursor=${first.json.nextCursor}`);
    // Old favourite and Warm both have 1 recent chat: more chats overall first.
    expect(second.json.models.map((model: { name: string }) => model.name)).toEqual(["Old favourite", "Warm"]);
    expect(second.json.nextCursor).toBeNull();

    // The default order is unchanged, and a cursor of one order is refused by the other.
    const newest = await list(reader, `bookId=${book}&limit=2`);
    expect(newest.json.models.map((model: { name: string }) => model.name)).toEqual(["Own", "Warm"]);
    const mixed = await list(reader, `sort=popular&bookId=${book}&cursor=${newest.json.nextCursor}`);
    expect(mixed.status).toBe(400);
    expect(mixed.json.error.code).toBe("bad_request");

    // owner=me: the caller's own only, in either order (the reader app's "Only mine").
    for (const sort of ["newest", "popular"]) {
      const mine = await list(reader, `owner=me&sort=${sort}&bookId=${book}`);
      expect(mine.json.models.map((model: { name: string }) => model.name)).toEqual(["Own"]);
    }
  });

  it("pages by the table's ranking while chats wait as tallies: each model once, counts shown exact", async () => {
    const reader = await createUser("popular-tallies");
    const book = `book-${crypto.randomUUID()}`;
    const names = ["Five", "Four", "Three", "Two"];
    const ids = await Promise.all(names.map((name) => insertModel(reader.id, { is_public: true, book_id: book, name })));
    await Promise.all(ids.map((id, i) => chats(id, reader.id, 0, 5 - i)));
    // Chats of the last moment, not folded into the table yet: "Four" shows 4 + 3 but ranks as 4.
    // A cursor that carried the shown 7 would bring "Five" back on the next page.
    await adminSql()`
      insert into private.model_chat_tallies (model_id, chats, last_chat_at)
      select ${ids[1]}, 1, now() from generate_series(1, 3)`;

    const seen: { name: string; chat_count: number }[] = [];
    let cursor = "";
    for (let page = 0; page < 4; page++) {
      const { status, json } = await list(reader, `sort=popular&bookId=${book}&limit=1${cursor}`);
      expect(status).toBe(200);
      seen.push(...json.models.map(({ name, chat_count }: { name: string; chat_count: number }) => ({ name, chat_count })));
      if (!json.nextCursor) break;
      cursor = `&cursor=${json.nextCursor}`;
    }
    expect(seen).toEqual([
      { name: "Five", chat_count: 5 },
      { name: "Four", chat_count: 7 },
      { name: "Three", chat_count: 3 },
      { name: "Two", chat_count: 2 },
    ]);
  });

  it("refuses an unknown sort with the issue path, and answers 401 without a token", async () => {
    const reader = await createUser("popular-validation");
    const bad = await list(reader, "sort=loudest");
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual([expect.objectContaining({ path: ["sort"] })]);
    expect((await list(null, "sort=popular")).status).toBe(401);
  });

  it("can read the popularity index in order (no sort of all public models; the bench measures it at 100k)", async () => {
    const plan = await adminSql().begin(async (tx) => {
      // A small table is cheaper to sort: make the planner show the plan it takes at scale.
      await tx`set local enable_seqscan = off`;
      await tx`set local enable_bitmapscan = off`;
      return await tx<{ "QUERY PLAN": string }[]>`
        explain (format text) select id from private.fine_tuned_models m
        where m.is_public order by m.recent_chat_count desc, m.chat_count desc, m.id desc limit 21`;
    });
    const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/Index (Only )?Scan using fine_tuned_models_public_popular_idx/);
    expect(text).not.toMatch(/Sort/);
  });
});
