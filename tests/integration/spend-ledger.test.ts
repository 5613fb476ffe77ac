import { describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import { forgetKnownSpend } from "../../shared/chat/spend.ts";
import { deploymentSpendLimitReached, deploymentSpendToday, userDailySpend } from "../../shared/db/spend.ts";
import { chatRequest, chatRows, configure, FALLBACK_MODEL, send, useChatHarness } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { sendGroup } from "../support/group-chat-harness.ts";
import { readEventStream } from "../support/sse.ts";
import { adminSql, createUser, type TestUser } from "../support/stack.ts";

// The spend ledger against what the provider served: every reply the simulator served whole is in
// the ledger once, per user and billed model, whatever faults came between; and the daily limit.

const { sim, completedModel } = useChatHarness();

interface Tally {
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

/** What the simulator served since `from`, per model. */
function servedSince(from: number): Map<string, Tally> {
  const tally = new Map<string, Tally>();
  for (const served of sim.servedUsage.slice(from)) {
    const entry = tally.get(served.model) ?? { requests: 0, inputTokens: 0, outputTokens: 0 };
    entry.requests += 1;
    entry.inputTokens += served.promptTokens;
    entry.outputTokens += served.completionTokens;
    tally.set(served.model, entry);
  }
  return tally;
}

/** The user's chat rows of the ledger, per billed model. */
async function ledgerOf(userId: string): Promise<Map<string, Tally>> {
  const rows = await adminSql()<{ billed_model: string; requests: number; input_tokens: string; output_tokens: string }[]>`
    select billed_model, sum(requests)::integer as requests, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens
    from private.spend_ledger where user_id = ${userId} and kind = 'chat'
    group by billed_model`;
  return new Map(rows.map((row) => [row.billed_model, {
    requests: row.requests,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
  }]));
}

async function streamTurn(user: TestUser, modelId: string, message: string) {
  const response = await chat(chatRequest(user, modelId, { message, stream: true }));
  if (response.status !== 200) return response.status;
  const events = await readEventStream(response);
  return events.at(-1)?.event === "done" ? 200 : 500;
}

describe("spend ledger: chat", () => {
  it("equals the tokens the provider served, per user and model, after 429s, 5xx and timeouts", async () => {
    configure({ OPENAI_TIMEOUT_MS: "300" });
    const users = [await createUser("ledger-a"), await createUser("ledger-b"), await createUser("ledger-c")];
    const statuses: number[] = [];
    for (const [index, user] of users.entries()) {
      const from = sim.servedUsage.length;
      const { id: fineTuned, fineTune } = await completedModel(user.id);
      const persona = await insertModel(user.id, { status: "ready", style_description: "You are Ada." });
      // A run of turns with faults between them: the fine-tune fails (the fallback answers), both
      // fail, the provider hangs past the timeout, a stream, plain answers.
      sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 500, times: 1 });
      statuses.push((await send(user, fineTuned, { message: `Hello ${index}` })).status);
      sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 429, times: 2 });
      statuses.push((await send(user, fineTuned, { message: "Are you there?" })).status);
      sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "timeout", delayMs: 2_000, times: 2 });
      statuses.push((await send(user, persona, { message: "Still there?" })).status);
      statuses.push((await send(user, fineTuned, { message: "Tell me about the engine." })).status);
      statuses.push(await streamTurn(user, fineTuned, "And the cards?"));
      sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 503, times: 1 });
      statuses.push(await streamTurn(user, persona, "A streamed answer after a 503"));
      statuses.push((await send(user, persona, { message: `A longer question number ${"x".repeat(index * 40)}` })).status);

      const served = servedSince(from);
      // The fine-tune served turn 5's stream (turn 4 timed out and fell back); the fallback 1, 4 and 7.
      expect(served.get(fineTune)?.requests).toBe(1);
      expect(served.get(FALLBACK_MODEL)?.requests).toBe(3);
      expect(await ledgerOf(user.id)).toEqual(served);
    }
    // The faults did fail turns (nothing stored for those), and the rest were answered.
    expect(statuses.filter((status) => status !== 200)).toEqual([503, 503, 502, 503, 503, 502, 503, 503, 502]);
    const storedTurns = await adminSql()<{ count: number }[]>`
      select count(*)::integer as count from public.fine_tuned_chats where user_id in ${adminSql()(users.map((user) => user.id))}`;
    const ledgerTurns = await adminSql()<{ count: number }[]>`
      select coalesce(sum(requests), 0)::integer as count from private.spend_ledger
      where kind = 'chat' and user_id in ${adminSql()(users.map((user) => user.id))}`;
    expect(ledgerTurns[0].count).toBe(storedTurns[0].count);
  });

  it("prices a fine-tune as fine-tuned inference of its base, the fallback at its own price", async () => {
    const alice = await createUser("ledger-price");
    const { id: modelId, fineTune } = await completedModel(alice.id, { base_model: "gpt-4.1-mini-2025-04-14" });
    expect((await send(alice, modelId, { message: "Hello" })).status).toBe(200);
    const persona = await insertModel(alice.id, { status: "ready" });
    expect((await send(alice, persona, { message: "Hello" })).status).toBe(200);

    const rows = await adminSql()<{ billed_model: string; provider: string; input_tokens: string; output_tokens: string; cost_usd: string }[]>`
      select billed_model, provider, input_tokens, output_tokens, cost_usd from private.spend_ledger
      where user_id = ${alice.id} order by billed_model`;
    const [fallbackRow, fineTuneRow] = [rows.find((row) => row.billed_model === FALLBACK_MODEL)!, rows.find((row) => row.billed_model === fineTune)!];
    // gpt-4.1-mini fine-tuned: $0.80 / $3.20 per 1M; gpt-4o-mini: $0.15 / $0.60 (private.model_prices).
    const cost = (row: typeof fineTuneRow, input: number, output: number) =>
      (Number(row.input_tokens) * input + Number(row.output_tokens) * output) / 1e6;
    expect(Number(fineTuneRow.cost_usd)).toBeCloseTo(cost(fineTuneRow, 0.8, 3.2), 6);
    expect(Number(fallbackRow.cost_usd)).toBeCloseTo(cost(fallbackRow, 0.15, 0.6), 6);
    expect(fineTuneRow.provider).toBe("openai");

    const days = await userDailySpend(alice.id);
    expect(days).toHaveLength(1);
    expect(days[0].costUsd).toBeCloseTo(Number(fineTuneRow.cost_usd) + Number(fallbackRow.cost_usd), 6);
    expect(days[0].requests).toBe(2);
  });

  it("a transcript import costs nothing: only answered replies are priced", async () => {
    const alice = await createUser("ledger-import");
    const modelId = await insertModel(alice.id, { status: "ready" });
    await adminSql()`
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response)
      values (${modelId}, ${alice.id}, ${crypto.randomUUID()}, 'imported', 'imported answer')`;
    expect(await ledgerOf(alice.id)).toEqual(new Map());
  });
});

describe("DAILY_SPEND_LIMIT_USD", () => {
  it("past the limit, chat answers 429 spend_limit_reached until midnight UTC, asks nobody and stores nothing; trainings must hold", async () => {
    const alice = await createUser("limit");
    const modelId = await insertModel(alice.id, { status: "ready" });
    expect((await send(alice, modelId, { message: "First" })).status).toBe(200);
    const spent = await deploymentSpendToday();
    expect(spent).toBeGreaterThan(0);

    configure({ DAILY_SPEND_LIMIT_USD: String(spent) });
    forgetKnownSpend();
    const asked = sim.chatRequests.length;
    const { status, headers, json } = await send(alice, modelId, { message: "Second" });

    expect(status).toBe(429);
    const midnight = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z").getTime() + 86_400_000;
    expect(json).toEqual({
      success: false,
      error: { code: "spend_limit_reached", message: expect.stringMatching(/spending limit/), retryable: true },
      resetAt: new Date(midnight).toISOString(),
    });
    const retryAfter = Number(headers.get("Retry-After"));
    expect(Math.abs(retryAfter - (midnight - Date.now()) / 1000)).toBeLessThan(5);
    expect(sim.chatRequests.length).toBe(asked);
    expect((await chatRows({ modelId })).map((row) => row.user_message)).toEqual(["First"]);
    // A stream is refused the same way, before any byte, and so is a group round.
    expect((await chat(chatRequest(alice, modelId, { message: "Third", stream: true }))).status).toBe(429);
    const other = await insertModel(alice.id, { status: "ready", entity_name: "Second persona" });
    const round = await sendGroup(alice, { modelIds: [modelId, other], message: "Both of you?", strategy: "list" });
    expect(round.status).toBe(429);
    expect(round.json.error.code).toBe("spend_limit_reached");
    expect(sim.chatRequests.length).toBe(asked);
    // The training queue's gate.
    expect(await deploymentSpendLimitReached(spent)).toBe(true);
    expect(await deploymentSpendLimitReached(spent * 100)).toBe(false);
    expect(await deploymentSpendLimitReached(undefined)).toBe(false);

    // Raised above today's spend: chat answers again (the next read of the ledger).
    configure({ DAILY_SPEND_LIMIT_USD: String(spent * 100) });
    forgetKnownSpend();
    expect((await send(alice, modelId, { message: "Fourth" })).status).toBe(200);
  });
});

describe("spend ledger: training", () => {
  it("records a run's trained tokens once, when the run completes, for the persona's owner", async () => {
    const owner = await createUser("ledger-training");
    const modelId = await insertModel(owner.id, { status: "pending" });
    const sql = adminSql();
    await sql`update public.training_runs set base_model = 'gpt-4.1-mini-2025-04-14', status = 'training' where model_id = ${modelId}`;
    await sql`update public.training_runs set status = 'completed', trained_tokens = 200000 where model_id = ${modelId}`;
    // A repeated write-back of the same state is no second completion.
    await sql`update public.training_runs set status = 'completed', trained_tokens = 200000 where model_id = ${modelId}`;

    const rows = await sql<{ kind: string; trained_tokens: string; cost_usd: string; requests: number; billed_model: string }[]>`
      select kind, trained_tokens, cost_usd, requests, billed_model from private.spend_ledger where model_id = ${modelId}`;
    // gpt-4.1-mini training: $5 per 1M trained tokens.
    expect(rows).toEqual([{ kind: "training", trained_tokens: "200000", cost_usd: "1.000000", requests: 1, billed_model: "gpt-4.1-mini-2025-04-14" }]);
  });
});
