import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signLocalToken } from "../../supabase/local/dev-keys.ts";
import { assertDocumentedResponse } from "../support/openapi-contract.ts";
import { type OwnStack, startOwnStack } from "../support/own-stack.ts";

// The database stops and starts again, many times, while users chat: the functions must survive
// every stop (postgres.js 3.4.9 can crash the process then; see shared/db/null-socket-guard.ts),
// answer 503 database_unavailable fast during the outage, answer every request begun once the
// database accepts connections again, never take more than 5 s, and lose no answered exchange.
// It stops a cluster, so it runs on a stack of its own, never the one the other suites share.

const CLIENTS = 8;
const RESTARTS = 6;
const OUTAGE_MS = 1_500;

interface Outcome {
  client: number;
  status: number;
  code?: string;
  startedAt: number;
  endedAt: number;
  conversationId?: string;
  messageOrder?: number;
  response?: string;
}

let own: OwnStack;
let tokens: string[] = [];
let userIds: string[] = [];
let modelId: string;

beforeAll(async () => {
  // Each client sends hundreds of messages.
  own = await startOwnStack({ DAILY_CHAT_QUOTA: "1000000" });
  const sql = postgres(own.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const users = await sql<{ id: string }[]>`
      insert into auth.users (email)
      select 'restart-' || gen_random_uuid() || '@example.test' from generate_series(1, ${CLIENTS})
      returning id`;
    userIds = users.map((user) => user.id);
    const [model] = await sql<{ id: string }[]>`
      insert into private.fine_tuned_models (name, type, entity_name, book_id, is_public, status, created_by, style_description)
      values ('Restart persona', 'author', 'Restart persona', 'restart', true, 'ready', ${userIds[0]},
              'You are Restart Persona, an author. Stay in character.')
      returning id`;
    modelId = model.id;
  } finally {
    await sql.end();
  }
  tokens = await Promise.all(userIds.map((id) => signLocalToken({ sub: id, role: "authenticated" })));
}, 180_000);

afterAll(async () => {
  await own?.stop();
});

/** One client chatting without pause, continuing its conversation after every stored answer. */
async function chatLoop(client: number, outcomes: Outcome[], until: () => boolean) {
  let conversationId: string | undefined;
  while (!until()) {
    const startedAt = performance.now();
    const url = `${own.functionsUrl}/fine-tune-chat/${modelId}`;
    const response = await fetch(url, {
      method: "POST",
      headers: { Authorization: `Bearer ${tokens[client]}`, "Content-Type": "application/json" },
      body: JSON.stringify({ message: `Message from client ${client}`, conversationId }),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    const endedAt = performance.now();
    assertDocumentedResponse("POST", url, { status: response.status, headers: response.headers, text });
    const body = JSON.parse(text);
    outcomes.push({
      client,
      status: response.status,
      code: body.error?.code,
      startedAt,
      endedAt,
      conversationId: body.conversationId,
      messageOrder: body.messageOrder,
      response: body.response,
    });
    if (response.status === 200) conversationId = body.conversationId;
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a database restart under chat load", () => {
  it("keeps the functions up, fails fast while down, recovers at once and loses nothing", async () => {
    const outcomes: Outcome[] = [];
    let stopping = false;
    const loops = Array.from({ length: CLIENTS }, (_, client) => chatLoop(client, outcomes, () => stopping));
    // Per round: when the stop was asked for, when it returned (down), when the start was asked for and when it returned.
    const windows: { stoppingAt: number; downAt: number; startingAt: number; acceptingAt: number }[] = [];
    try {
      for (let round = 0; round < RESTARTS; round++) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const stoppingAt = performance.now();
        await own.stopDatabase(round % 2 === 0 ? "fast" : "immediate");
        const downAt = performance.now();
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
        const startingAt = performance.now();
        await own.startDatabase();
        windows.push({ stoppingAt, downAt, startingAt, acceptingAt: performance.now() });
        expect(own.running(), `the functions server died in round ${round}`).toBe(true);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      stopping = true;
      await Promise.all(loops);
    }

    expect(own.running()).toBe(true);
    // Only answers and the documented outage error; never a 500 or a hung request.
    const unexpected = outcomes.filter((o) => o.status !== 200 && !(o.status === 503 && o.code === "database_unavailable"));
    expect(unexpected, own.output().split("\n").filter((line) => line.includes('"error"')).slice(0, 5).join("\n"))
      .toEqual([]);
    const slowest = Math.max(...outcomes.map((o) => o.endedAt - o.startedAt));
    expect(slowest).toBeLessThanOrEqual(5_000);

    for (const [round, { downAt, startingAt, acceptingAt }] of windows.entries()) {
      // The outage was seen (fast 503s).
      const during = outcomes.filter((o) => o.startedAt > downAt && o.endedAt < startingAt);
      expect(during.length, `round ${round}: requests during the outage`).toBeGreaterThan(0);
      expect(during.every((o) => o.status === 503), `round ${round}: only 503s while down`).toBe(true);
      // Recovered at once, however loaded the machine: every request begun once the database
      // accepts connections again is answered (no connection the restart killed is handed out).
      const nextStoppingAt = windows[round + 1]?.stoppingAt ?? Infinity;
      const after = outcomes.filter((o) => o.startedAt > acceptingAt && o.endedAt < nextStoppingAt);
      expect(after.length, `round ${round}: requests after the restart`).toBeGreaterThan(0);
      expect(after.filter((o) => o.status !== 200).map((o) => `${o.status} ${o.code}`), `round ${round}: after the restart`).toEqual([]);
    }

    // Every answered exchange is stored, exactly as answered; the model's count matches its rows.
    const answered = outcomes.filter((o) => o.status === 200);
    expect(answered.length).toBeGreaterThan(RESTARTS * CLIENTS);
    const sql = postgres(own.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const stored = await sql<{ conversation_id: string; message_order: number; ai_response: string }[]>`
        select conversation_id, message_order, ai_response from public.fine_tuned_chats where model_id = ${modelId}`;
      const byKey = new Map(stored.map((row) => [`${row.conversation_id}/${row.message_order}`, row.ai_response]));
      const lost = answered.filter((o) => byKey.get(`${o.conversationId}/${o.messageOrder}`) !== o.response);
      expect(lost).toEqual([]);
      const [{ chat_count }] = await sql<{ chat_count: number }[]>`
        select chat_count from public.fine_tuned_models where id = ${modelId}`;
      expect(Number(chat_count)).toBe(stored.length);
      // A stored exchange whose answer was lost with the connection is the only excess allowed.
      expect(stored.length).toBeGreaterThanOrEqual(answered.length);
      expect(stored.length - answered.length).toBeLessThanOrEqual(RESTARTS * CLIENTS);
      // Each conversation's orders stay gap-free: 1..n.
      const orders = await sql<{ ok: boolean }[]>`
        select bool_and(n = m) as ok from (
          select count(*) as n, max(message_order) as m from public.fine_tuned_chats
          where model_id = ${modelId} group by conversation_id) c`;
      expect(orders[0].ok).toBe(true);
    } finally {
      await sql.end();
    }
  }, 180_000);
});
