import { beforeEach, describe, expect, it } from "vitest";
import usage from "../../functions/fine-tune-usage/handler.ts";
import createQuick from "../../functions/fine-tune-quick/handler.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { nextUtcMidnight } from "../../shared/lifecycle/quotas.ts";
import { backgroundSettled, bookId, call, quick, useCreateModelHarness } from "../support/create-model-harness.ts";
import { adminSql, createUser, useStackEnvironment } from "../support/stack.ts";

// GET /fine-tune-usage: the caller's own counters against their plan, from the same rows the
// quotas are taken from, and the last 30 UTC days.

useCreateModelHarness();

beforeEach(() => {
  useStackEnvironment({
    FINE_TUNING_ENABLED: undefined,
    MODEL_CREATE_DAILY_QUOTA: "7",
    TRAININGS_IN_FLIGHT_PER_USER: "4",
    DAILY_CHAT_QUOTA: "50",
    MAX_TRAINING_EXAMPLES: "60",
  });
  resetOpenAI();
});

const get = (token: string | undefined, query = "") => call(usage, `fine-tune-usage${query}`, { token, method: "GET" });

const utcDay = (daysAgo: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysAgo)).toISOString().slice(0, 10);
};

describe("GET /fine-tune-usage", () => {
  it("answers the plan, today's counters against each quota, trainings in flight and 30 days, oldest first", async () => {
    const reader = await createUser("usage");
    const other = await createUser("usage-other");
    const created = await call(createQuick, "fine-tune-quick", { token: reader.token, body: { ...quick, bookId: bookId() } });
    expect(created.status).toBe(202);
    await backgroundSettled(created.json.model.id);
    await adminSql()`
      insert into private.daily_chat_usage (user_id, day, used) values
        (${reader.id}, (now() at time zone 'utc')::date, 12),
        (${reader.id}, (now() at time zone 'utc')::date - 3, 5),
        (${reader.id}, (now() at time zone 'utc')::date - 40, 9),
        (${other.id}, (now() at time zone 'utc')::date, 30)`;
    await adminSql()`
      insert into private.daily_model_usage (user_id, day, created) values (${reader.id}, (now() at time zone 'utc')::date - 3, 2)`;

    await adminSql()`
      insert into private.spend_ledger (day, user_id, model_id, kind, provider, billed_model, requests, cost_usd) values
        ((now() at time zone 'utc')::date - 3, ${reader.id}, ${created.json.model.id}, 'chat', 'openai', 'gpt-4.1-mini-2025-04-14', 5, 0.0125),
        ((now() at time zone 'utc')::date, ${other.id}, ${created.json.model.id}, 'chat', 'openai', 'gpt-4.1-mini-2025-04-14', 30, 0.5)`;
    // Today the reader's persona was prepared: the teacher's calls are the reader's spend.
    const [{ today }] = await adminSql()<{ today: number }[]>`
      select coalesce(sum(cost_usd), 0)::float8 as today from private.spend_ledger
      where user_id = ${reader.id} and day = (now() at time zone 'utc')::date`;
    expect(today).toBeGreaterThan(0);

    const { status, json } = await get(reader.token);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      success: true,
      plan: { id: "free", name: "Free" },
      resetAt: nextUtcMidnight().toISOString(),
      quotas: {
        modelsPerDay: { used: 1, limit: 7 },
        trainingsInFlight: { used: 1, limit: 4 },
        chatMessagesPerDay: { used: 12, limit: 50 },
        maxExamples: 60,
      },
    });
    expect(json.days).toHaveLength(30);
    expect(json.days[0].day).toBe(utcDay(29));
    expect(json.spendTodayUsd).toBeCloseTo(today, 6);
    expect(json.days[29]).toEqual({ day: utcDay(0), chats: 12, models: 1, spendUsd: json.spendTodayUsd });
    expect(json.days[26]).toEqual({ day: utcDay(3), chats: 5, models: 2, spendUsd: 0.0125 });
    expect(json.days.reduce((sum: number, day: { chats: number }) => sum + day.chats, 0)).toBe(17);
  });

  it("shows the plan's own quotas (private.user_plans over app_metadata), and `days` shortens the history", async () => {
    const reader = await createUser("usage-pro");
    await adminSql()`update auth.users set raw_app_meta_data = '{"plan": "free"}' where id = ${reader.id}`;
    await adminSql()`insert into private.user_plans (user_id, plan_id) values (${reader.id}, 'pro')`;
    const { status, json } = await get(reader.token, "?days=7");
    expect(status).toBe(200);
    expect(json.plan).toEqual({ id: "pro", name: "Pro" });
    expect(json.quotas).toEqual({
      modelsPerDay: { used: 0, limit: 50 },
      trainingsInFlight: { used: 0, limit: 5 },
      chatMessagesPerDay: { used: 0, limit: 2000 },
      maxExamples: 200,
    });
    expect(json.days.map((day: { day: string }) => day.day)).toEqual([6, 5, 4, 3, 2, 1, 0].map(utcDay));
  });

  it("a bad query is a 400 naming it, and writes nothing", async () => {
    const reader = await createUser("usage-bad");
    for (const query of ["?days=0", "?days=31", "?days=week", "?since=yesterday"]) {
      const { status, json } = await get(reader.token, query);
      expect(status).toBe(400);
      expect(json.error.code).toBe("validation_failed");
    }
    const { json } = await get(reader.token, "?days=31");
    expect(json.error.details[0].path).toEqual(["days"]);
    const [{ rows }] = await adminSql()<{ rows: number }[]>`
      select (select count(*) from private.daily_model_usage where user_id = ${reader.id})::int
           + (select count(*) from private.daily_chat_usage where user_id = ${reader.id})::int as rows`;
    expect(rows).toBe(0);
  });

  it("needs a signed-in user: no token is 401, a deleted user's token is 401 user_not_found", async () => {
    const missing = await get(undefined);
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe("unauthorized");
    const gone = await createUser("usage-gone");
    await adminSql()`delete from auth.users where id = ${gone.id}`;
    const deleted = await get(gone.token);
    expect(deleted.status).toBe(401);
    expect(deleted.json.error.code).toBe("user_not_found");
  });
});
