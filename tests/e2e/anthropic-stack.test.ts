import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CHAT_MODELS } from "../../shared/env.ts";
import { signLocalToken } from "../../supabase/local/dev-keys.ts";
import { type OwnStack, startOwnStack } from "../support/own-stack.ts";

// `CHAT_PROVIDER=anthropic npm run dev` as an operator starts it today: no Anthropic key, so the
// stack's Anthropic simulator (which refuses what the Messages API refuses) answers. A persona
// with a greeting, one to one and in a group, over HTTP, on the default Claude model; a teacher
// still set to the retired claude-sonnet-4-5 is a `!!!` line of the banner.

let own: OwnStack;
let sql: postgres.Sql;

beforeAll(async () => {
  own = await startOwnStack({ CHAT_PROVIDER: "anthropic", TEACHER_MODEL: "claude-sonnet-4-5" });
  sql = postgres(own.databaseUrl, { max: 2, onnotice: () => {} });
}, 180_000);
afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await own?.stop();
}, 60_000);

async function reader() {
  const email = `anthropic-${crypto.randomUUID()}@example.test`;
  const [row] = await sql<{ id: string }[]>`insert into auth.users (email) values (${email}) returning id`;
  return { id: row.id, token: await signLocalToken({ sub: row.id, role: "authenticated", email }) };
}

async function persona(ownerId: string, name: string) {
  const [row] = await sql<{ id: string }[]>`
    insert into private.fine_tuned_models (name, type, entity_name, book_id, status, style_description, greeting, created_by)
    values (${name}, 'character', ${name}, 'book-1', 'ready', ${`You are ${name}.`}, ${`Good evening, I am ${name}.`}, ${ownerId})
    returning id`;
  return row.id;
}

async function post(path: string, token: string, body: unknown) {
  const response = await fetch(`${own.functionsUrl}/${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, json: await response.json() as any };
}

describe("CHAT_PROVIDER=anthropic on a stack of its own", () => {
  it("the banner says which configured model is dead and what answers instead; the default chat model is not among them", () => {
    expect(own.output()).toContain("Chat:        anthropic (CHAT_PROVIDER)");
    expect(own.output()).toContain(
      `!!! TEACHER_MODEL=claude-sonnet-4-5 (anthropic) SHUT DOWN on 2026-11-30: ${DEFAULT_CHAT_MODELS.anthropic} answers instead`,
    );
    expect(own.output()).not.toMatch(/!!! CHAT_MODEL/);
  });

  it("a persona with a greeting answers, on the default Claude model, then and on the next turn", async () => {
    const user = await reader();
    const modelId = await persona(user.id, "Ada Byron");

    const first = await post(`fine-tune-chat/${modelId}`, user.token, { message: "Hello, Ada.", temperature: 1.5 });
    const second = await post(`fine-tune-chat/${modelId}`, user.token, { message: "Tell me more.", conversationId: first.json.conversationId });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.json).toMatchObject({ success: true, usingFallback: true });
    const rows = await sql`select model_used from public.fine_tuned_chats where model_id = ${modelId}`;
    expect(rows.map((row) => row.model_used)).toEqual([DEFAULT_CHAT_MODELS.anthropic, DEFAULT_CHAT_MODELS.anthropic]);
  });

  it("a group of two answers a round and the next", async () => {
    const user = await reader();
    const modelIds = [await persona(user.id, "Elizabeth Bennet"), await persona(user.id, "Fitzwilliam Darcy")];

    const first = await post("fine-tune-group-chat", user.token, { modelIds, message: "The ball?", strategy: "list" });
    const second = await post("fine-tune-group-chat", user.token, {
      modelIds,
      message: "And now?",
      strategy: "list",
      conversationId: first.json.conversationId,
    });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.json.replies).toHaveLength(2);
    const rows = await sql`select distinct model_used from public.group_messages where conversation_id = ${first.json.conversationId} and role = 'assistant'`;
    expect(rows.map((row) => row.model_used)).toEqual([DEFAULT_CHAT_MODELS.anthropic]);
  });
});
