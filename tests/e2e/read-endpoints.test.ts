import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signLocalToken } from "../../supabase/local/dev-keys.ts";
import { callFunction } from "../support/http.ts";
import { insertModel } from "../support/models.ts";
import { closeAdminSql, createUser, type TestUser } from "../support/stack.ts";

// The two read endpoints over HTTP against the functions served by Deno, on the real database.
describe("fine-tune-models and fine-tune-status over HTTP", () => {
  let alice: TestUser;
  let bob: TestUser;
  const book = `book-${crypto.randomUUID()}`;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    alice = await createUser("alice");
    bob = await createUser("bob");
    ids.alicePrivate = await insertModel(alice.id, { book_id: book, type: "author", created_at: "2026-01-01T00:00:01Z" });
    ids.alicePublic = await insertModel(alice.id, { book_id: book, type: "character", is_public: true, created_at: "2026-01-01T00:00:02Z" });
    ids.bobPrivate = await insertModel(bob.id, { book_id: book, type: "author", created_at: "2026-01-01T00:00:03Z" });
    ids.bobPublic = await insertModel(bob.id, { book_id: book, type: "character", is_public: true, created_at: "2026-01-01T00:00:04Z" });
  });
  afterAll(closeAdminSql);

  it("lists own and public models, newest first, never another user's private one", async () => {
    const { status, json } = await callFunction(`fine-tune-models?bookId=${book}`, { token: alice.token });
    expect(status).toBe(200);
    expect(json.success).toBe(true);
    expect(json.models.map((m: { id: string }) => m.id)).toEqual([ids.bobPublic, ids.alicePublic, ids.alicePrivate]);
    expect(json.nextCursor).toBeNull();
  });

  it("filters by type", async () => {
    const { json } = await callFunction(`fine-tune-models?bookId=${book}&type=character`, { token: bob.token });
    expect(json.models.map((m: { id: string }) => m.id)).toEqual([ids.bobPublic, ids.alicePublic]);
  });

  it("paginates with limit and the returned cursor", async () => {
    const first = await callFunction(`fine-tune-models?bookId=${book}&limit=2`, { token: alice.token });
    expect(first.json.models).toHaveLength(2);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await callFunction(
      `fine-tune-models?bookId=${book}&limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`,
      { token: alice.token },
    );
    expect(second.json.models.map((m: { id: string }) => m.id)).toEqual([ids.alicePrivate]);
    expect(second.json.nextCursor).toBeNull();
  });

  it("answers 400 with the issue paths for a bad query", async () => {
    const { status, json } = await callFunction("fine-tune-models?type=villain&limit=500", { token: alice.token });
    expect(status).toBe(400);
    expect(json.error.code).toBe("validation_failed");
    expect(json.error.details.map((issue: { path: string[] }) => issue.path[0]).sort()).toEqual(["limit", "type"]);
  });

  it("answers 400 for a forged cursor", async () => {
    const { status, json } = await callFunction("fine-tune-models?cursor=not-a-cursor", { token: alice.token });
    expect(status).toBe(400);
    expect(json.error.details[0].path).toEqual(["cursor"]);
  });

  it("shows the status of an own model", async () => {
    const { status, json } = await callFunction(`fine-tune-status/${ids.alicePrivate}`, { token: alice.token });
    expect(status).toBe(200);
    expect(json).toMatchObject({ success: true, status: "ready", ready: true, model: { id: ids.alicePrivate, chat_mode: "persona" } });
  });

  it("shows a public model of another user", async () => {
    const { status } = await callFunction(`fine-tune-status/${ids.alicePublic}`, { token: bob.token });
    expect(status).toBe(200);
  });

  it("answers 404 for another user's private model", async () => {
    const { status, json } = await callFunction(`fine-tune-status/${ids.bobPrivate}`, { token: alice.token });
    expect(status).toBe(404);
    expect(json).toEqual({ success: false, error: { code: "not_found", message: "No such model." } });
  });

  it("answers 400 for a malformed model id and 404 for extra path segments", async () => {
    expect((await callFunction("fine-tune-status/42", { token: alice.token })).status).toBe(400);
    expect((await callFunction(`fine-tune-status/${ids.alicePrivate}/extra`, { token: alice.token })).status).toBe(404);
  });

  it("answers 401 without a token, with an expired one and with a forged one", async () => {
    const missing = await callFunction("fine-tune-models");
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe("unauthorized");

    const expired = await signLocalToken({ sub: alice.id, role: "authenticated" }, "-1m");
    expect((await callFunction("fine-tune-models", { token: expired })).status).toBe(401);

    const [header, payload] = alice.token.split(".");
    const forged = `${header}.${payload}.${"A".repeat(43)}`;
    expect((await callFunction("fine-tune-models", { token: forged })).status).toBe(401);
  });

  it("answers 403 for a token that is not a signed-in user's", async () => {
    const anon = await signLocalToken({ sub: alice.id, role: "anon" });
    expect((await callFunction("fine-tune-models", { token: anon })).status).toBe(403);
  });

  it("answers CORS preflight and 405 for other methods", async () => {
    const preflight = await callFunction("fine-tune-models", { method: "OPTIONS", headers: { Origin: "https://app.example" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    const post = await callFunction("fine-tune-models", { method: "DELETE", token: alice.token });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, OPTIONS");
  });
});
