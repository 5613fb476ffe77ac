import { afterAll, beforeAll, describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import conversations from "../../functions/fine-tune-conversations/handler.ts";
import deleteModel from "../../functions/fine-tune-delete/handler.ts";
import models from "../../functions/fine-tune-models/handler.ts";
import createQuick from "../../functions/fine-tune-quick/handler.ts";
import status from "../../functions/fine-tune-status/handler.ts";
import { closeDatabase, withUserTransaction } from "../../shared/db/client.ts";
import type { UserAuth } from "../../shared/auth/identity.ts";
import { bookId, call, quick, useCreateModelHarness } from "../support/create-model-harness.ts";
import { type CountingProxy, countingProxy, throughProxy } from "../support/counting-proxy.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, createUser, databaseUrl, type TestUser, useStackEnvironment } from "../support/stack.ts";

// A token that is still valid for a user who was deleted from auth.users meanwhile: every user
// endpoint answers 401 user_not_found and writes nothing.
useCreateModelHarness();

/**
 * A user transaction of one statement: BEGIN, the pipelined role switch and work, COMMIT (as before
 * the check). Without prepared statements (behind a transaction pooler) the two statements with
 * parameters each ask the server for their parameter types first: two round trips more.
 */
const ROUND_TRIPS = { true: 3, false: 5 } as const;
let gone: TestUser;
let author: TestUser;
let publicModel: string;

beforeAll(async () => {
  author = await createUser("deleted-user-author");
  publicModel = await insertModel(author.id, { is_public: true, status: "ready" });
  gone = await createUser("deleted-user");
  await adminSql()`delete from auth.users where id = ${gone.id}`;
});

async function rowsOf(userId: string) {
  const [counts] = await adminSql()<{ models: number; chats: number; usage: number }[]>`
    select (select count(*)::int from public.fine_tuned_models where created_by = ${userId}) as models,
           (select count(*)::int from public.fine_tuned_chats where user_id = ${userId}) as chats,
           (select count(*)::int from private.daily_chat_usage where user_id = ${userId}) as usage`;
  return counts;
}

function expectUserNotFound(answer: { status: number; json: any; headers: Headers }) {
  expect(answer.status).toBe(401);
  expect(answer.json).toMatchObject({ success: false, error: { code: "user_not_found" } });
  expect(answer.headers.get("WWW-Authenticate")).toContain("Bearer");
}

describe("a valid token of a deleted user", () => {
  it("POST /fine-tune-quick: 401 user_not_found, no model written", async () => {
    expectUserNotFound(await call(createQuick, "fine-tune-quick", { token: gone.token, body: { ...quick, bookId: bookId() } }));
    expect(await rowsOf(gone.id)).toEqual({ models: 0, chats: 0, usage: 0 });
  });

  it("POST /fine-tune-chat: 401 user_not_found, no exchange or quota turn stored", async () => {
    expectUserNotFound(
      await call(chat, `fine-tune-chat/${publicModel}`, { token: gone.token, body: { message: "Hello?" } }),
    );
    expect(await rowsOf(gone.id)).toEqual({ models: 0, chats: 0, usage: 0 });
    const [{ chat_count }] = await adminSql()`select chat_count from public.fine_tuned_models where id = ${publicModel}`;
    expect(chat_count).toBe(0);
  });

  it("GET /fine-tune-models, /fine-tune-status, /fine-tune-conversations: 401 user_not_found", async () => {
    const get = { token: gone.token, method: "GET" };
    expectUserNotFound(await call(models, "fine-tune-models", get));
    expectUserNotFound(await call(status, `fine-tune-status/${publicModel}`, get));
    expectUserNotFound(await call(conversations, `fine-tune-conversations/${publicModel}`, get));
  });

  it("DELETE /fine-tune-delete: 401 user_not_found, the model stays", async () => {
    expectUserNotFound(await call(deleteModel, `fine-tune-delete/${publicModel}`, { token: gone.token, method: "DELETE" }));
    const [{ count }] = await adminSql()`select count(*)::int as count from public.fine_tuned_models where id = ${publicModel}`;
    expect(count).toBe(1);
  });

  it("a user who exists is unaffected", async () => {
    const answer = await call(models, "fine-tune-models", { token: author.token, method: "GET" });
    expect(answer.status).toBe(200);
  });
});

describe("the user check", () => {
  let proxy: CountingProxy;

  beforeAll(async () => {
    proxy = await countingProxy(new URL(databaseUrl()));
  });
  afterAll(async () => {
    await closeDatabase();
    proxy.server.close();
  });

  const authOf = (user: TestUser): UserAuth => ({
    kind: "user",
    userId: user.id,
    claims: { sub: user.id, role: "authenticated" },
  });

  it.each(["true", "false"] as const)("rides in the role switch's statement: no extra round trip (prepared statements: %s)", async (prepared) => {
    await closeDatabase();
    useStackEnvironment({ SUPABASE_DB_URL: throughProxy(databaseUrl(), proxy), DB_PREPARED_STATEMENTS: prepared });
    // Open the pool's connection first: its start-up exchange is not the transaction's.
    await withUserTransaction(authOf(author), (tx) => tx`select 1`);
    proxy.reset();
    const [row] = await withUserTransaction(authOf(author), (tx) => tx<{ uid: string }[]>`select auth.uid() as uid`);
    expect(row.uid).toBe(author.id);
    // The user check rides in the role switch's statement; a check of its own would add a round trip.
    expect(proxy.roundTrips()).toBe(ROUND_TRIPS[prepared]);
    await closeDatabase();
    // The rest of the file runs with the deployment's default again.
    useStackEnvironment({ SUPABASE_DB_URL: throughProxy(databaseUrl(), proxy), DB_PREPARED_STATEMENTS: undefined });
  });

  it("rolls back what the work did for a deleted user", async () => {
    await expect(
      withUserTransaction(authOf(gone), (tx) =>
        tx`insert into public.fine_tuned_models (name, type, entity_name, book_id, created_by)
           values ('x', 'author', 'x', 'x', ${author.id})`),
    ).rejects.toMatchObject({ status: 401, code: "user_not_found" });
  });
});
