import { beforeEach, describe, expect, it } from "vitest";
import analytics from "../../functions/fine-tune-analytics/handler.ts";
import { recordSpend } from "../../shared/db/spend.ts";
import { withServiceTransaction } from "../../shared/db/client.ts";
import { insertModel } from "../support/models.ts";
import { assertDocumentedResponse } from "../support/openapi-contract.ts";
import { adminSql, createAdmin, createUser, serviceKey, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// GET /fine-tune-analytics in-process: admins (app_metadata.role = admin, or the service role) get
// the analytics views; everyone else a 401/403.

useSuiteDatabase();
beforeEach(() => useStackEnvironment({ DAILY_SPEND_LIMIT_USD: "25" }));

async function get(headers: Record<string, string>) {
  const response = await analytics(new Request("http://localhost/functions/v1/fine-tune-analytics", { headers }));
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text), response: { status: response.status, headers: response.headers, text } };
}

describe("GET /fine-tune-analytics", () => {
  it("gives an admin popular models, usage per day, spend per user, model and provider, training outcomes and the queue", async () => {
    const admin = await createAdmin();
    const reader = await createUser("analytics-reader");
    const modelId = await insertModel(reader.id, { is_public: true, name: "Analytics persona", status: "pending" });
    await adminSql()`
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response)
      values (${modelId}, ${reader.id}, ${crypto.randomUUID()}, 'q', 'a'), (${modelId}, ${reader.id}, ${crypto.randomUUID()}, 'q', 'a')`;
    await withServiceTransaction((tx) =>
      recordSpend(tx, [{ userId: reader.id, modelId, kind: "chat", provider: "openai", billedModel: "gpt-4.1", inputTokens: 1_000_000 }])
    );
    await adminSql()`select private.refresh_model_popularity()`;

    const { status, json, response } = await get({ Authorization: `Bearer ${admin.token}` });

    expect(status).toBe(200);
    assertDocumentedResponse("GET", "http://localhost/functions/v1/fine-tune-analytics", response);
    expect(json.spendTodayUsd).toBe(2);
    expect(json.dailySpendLimitUsd).toBe(25);
    expect(json.popularModels).toEqual([expect.objectContaining({ modelId, name: "Analytics persona", chats7d: 2, users7d: 1, chats30d: 2, users30d: 1 })]);
    expect(json.dailyUsage).toHaveLength(90);
    // Per day from the ledger: the one priced reply.
    expect(json.dailyUsage.at(-1)).toMatchObject({ chats: 1, activeUsers: 1, modelsCreated: 1, spendUsd: 2 });
    expect(json.spendPerUser).toEqual([expect.objectContaining({ userId: reader.id, spend30dUsd: 2, spendTodayUsd: 2, requests30d: 1 })]);
    expect(json.spendPerModel).toEqual([expect.objectContaining({ modelId, name: "Analytics persona", chatUsd: 2 })]);
    expect(json.spendPerProvider).toEqual([expect.objectContaining({ provider: "openai", billedModel: "gpt-4.1", kind: "chat", inputTokens30d: 1_000_000 })]);
    // The persona's first run is pending without a job: it waits in the queue.
    expect(json.trainingQueue).toMatchObject({ waiting: 1, usersWaiting: 1 });
    expect(json.trainingOutcomes).toEqual([expect.objectContaining({ provider: "openai", runs: 1, inFlight: 1 })]);
  });

  it("answers the service role too", async () => {
    expect((await get({ apikey: serviceKey })).status).toBe(200);
  });

  it("refuses a signed-in user who is not an admin (403) and a caller without a token (401)", async () => {
    const reader = await createUser("analytics-not-admin");
    const refused = await get({ Authorization: `Bearer ${reader.token}` });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ code: "forbidden" });
    expect((await get({})).status).toBe(401);
  });
});
