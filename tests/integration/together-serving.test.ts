import { getResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import deleteModel from "../../functions/fine-tune-delete/handler.ts";
import quickCreate from "../../functions/fine-tune-quick/handler.ts";
import { DEFAULT_TOGETHER_BASE_MODEL, DEFAULT_TOGETHER_DEDICATED_BASE_MODEL } from "../../shared/env.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { runTrainingSync } from "../../shared/sync/run-training-sync.ts";
import { createOpenAISimulator, failOnUnhandledRequest } from "../../supabase/local/openai-simulator/simulator.ts";
import { createTogetherSimulator } from "../../supabase/local/together-simulator/simulator.ts";
import { backgroundSettled, bookId, call, quick } from "../support/create-model-harness.ts";
import { currentRun } from "../support/models.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// Together serving as Together serves, end to end in-process: a persona trained at Together answers
// through the adapter attached to a dedicated endpoint, or through serverless LoRA for a listed
// base; one whose adapter is deployed nowhere is never sent to Together's chat; a deployment that
// could never serve what it trains starts no run. The simulator enforces deployment as Together does.
const JOB_MS = 60_000;
let clock = Date.now();
const openai = createOpenAISimulator({ jobDurationMs: JOB_MS });
const together = createTogetherSimulator({ jobDurationMs: JOB_MS, now: () => clock });
const server = setupServer(
  http.all("https://api.together.xyz/*", ({ request }) => getResponse(together.handlers, request)),
  http.all("https://api.openai.com/*", ({ request }) => getResponse(openai.handlers, request)),
);
let owner: TestUser;

useSuiteDatabase();
beforeAll(async () => {
  server.listen({ onUnhandledRequest: failOnUnhandledRequest });
  owner = await createUser("together-serving");
});
afterAll(() => server.close());
beforeEach(() => {
  openai.reset();
  together.reset();
  clock = Date.now();
  resetOpenAI();
});

function useTogether(overrides: Record<string, string | undefined> = {}) {
  useStackEnvironment({
    TRAINING_PROVIDER: "together",
    TOGETHER_API_KEY: "together-test-key",
    TOGETHER_BASE_URL: "https://api.together.xyz/v1",
    TOGETHER_ENDPOINT_ID: undefined,
    TOGETHER_FINE_TUNE_BASE_MODEL: undefined,
    TOGETHER_SERVERLESS_LORA_BASE_MODELS: undefined,
    FINE_TUNING_ENABLED: undefined,
    ...overrides,
  });
}

let syncAhead = 3_600_000;
const sync = () => runTrainingSync({ clock: () => new Date(clock + (syncAhead += 900_000)) });

/** Creates a quick model (on `baseModel`, else the default), trains it to the end; the model id and its run. */
async function trainedModel(baseModel?: string) {
  const created = await call(quickCreate, "fine-tune-quick", {
    token: owner.token,
    body: { ...quick, bookId: bookId(), ...(baseModel ? { baseModel } : {}) },
  });
  expect(created.status).toBe(202);
  const id = created.json.model.id as string;
  await backgroundSettled(id);
  for (let tick = 0; tick < 4; tick++) {
    clock += JOB_MS;
    const report = await sync();
    expect(report.servingWarnings).toEqual([]);
    const run = await currentRun(id);
    if (run && run.status !== "pending" && run.status !== "training") break;
  }
  return { id, run: (await currentRun(id))! };
}

const ask = (id: string, message = "Why keep the light?") => call(chat, `fine-tune-chat/${id}`, { token: owner.token, body: { message } });

describe("Together serving", () => {
  it("attaches the fine-tune to the dedicated endpoint, chats with it by name on the API base, bills the endpoint per minute, and detaches it on delete", async () => {
    const endpoint = together.createEndpoint({ model: DEFAULT_TOGETHER_DEDICATED_BASE_MODEL });
    useTogether({ TOGETHER_ENDPOINT_ID: endpoint.id, TOGETHER_SERVERLESS_LORA_BASE_MODELS: "none" });

    const { id, run } = await trainedModel();
    // With an endpoint the default base is one a dedicated endpoint can host (not a -Reference one).
    expect(run).toMatchObject({ status: "completed", base_model: DEFAULT_TOGETHER_DEDICATED_BASE_MODEL });
    expect([...endpoint.adapters]).toEqual([run.fine_tuned_model]);
    expect(together.requests).toContain(`POST /v1/endpoints/${endpoint.id}/adapters`);

    const reply = await ask(id);
    expect(reply.status).toBe(200);
    expect(reply.json.usingFallback).toBe(false);
    expect(together.chatRequests.map((request) => request.model)).toEqual([run.fine_tuned_model]);
    // Chat on the endpoint is not priced per token: its cost is the hosting.
    const [chatSpend] = await adminSql()<{ cost_usd: string; input_tokens: string }[]>`
      select cost_usd, input_tokens from private.spend_ledger where model_id = ${id} and kind = 'chat'`;
    expect(Number(chatSpend.cost_usd)).toBe(0);
    expect(Number(chatSpend.input_tokens)).toBeGreaterThan(0);

    // The hosting: each tick records the minutes since the last one while the endpoint runs.
    await adminSql()`update private.spend_ledger set updated_at = now() - interval '10 minutes'
                     where kind = 'hosting' and billed_model = ${endpoint.id}`;
    const report = await sync();
    expect(report.hosting).toEqual([expect.objectContaining({ provider: "together", billedModel: endpoint.id, running: true })]);
    expect(report.hosting[0].minutes).toBeCloseTo(10, 0);
    const [hosting] = await adminSql()<{ hosted_minutes: string; cost_usd: string }[]>`
      select hosted_minutes, cost_usd from private.spend_ledger where kind = 'hosting' and billed_model = ${endpoint.id}`;
    expect(Number(hosting.hosted_minutes)).toBeCloseTo(10, 0);
    expect(Number(hosting.cost_usd)).toBeCloseTo(10 * 0.056, 2);

    const deleted = await call(deleteModel, `fine-tune-delete/${id}`, { token: owner.token, method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(endpoint.adapters.size).toBe(0);
    expect(together.jobs.has(run.provider_job_id!)).toBe(false);
  });

  it("answers through serverless LoRA for a base Together lists for it, with no endpoint", async () => {
    useTogether();
    const { id, run } = await trainedModel();
    expect(run).toMatchObject({ status: "completed", base_model: DEFAULT_TOGETHER_BASE_MODEL });
    expect(together.endpoints.size).toBe(0);
    const reply = await ask(id);
    expect(reply.json.usingFallback).toBe(false);
    expect(together.chatRequests.map((request) => request.model)).toEqual([run.fine_tuned_model]);
  });

  it("never sends a persona whose adapter is deployed nowhere to Together's chat; Together would refuse it", async () => {
    // The endpoint runs Qwen3 8B; a reader asks for Qwen2.5 7B, which the endpoint cannot host and
    // serverless LoRA does not serve: the attach is refused, the run still completes.
    const endpoint = together.createEndpoint({ model: DEFAULT_TOGETHER_DEDICATED_BASE_MODEL });
    useTogether({ TOGETHER_ENDPOINT_ID: endpoint.id });
    const { id, run } = await trainedModel("Qwen/Qwen2.5-7B-Instruct");
    expect(run.status).toBe("completed");
    expect(endpoint.adapters.size).toBe(0);

    const reply = await ask(id);
    expect(reply.status).toBe(200);
    expect(reply.json.usingFallback).toBe(true);
    expect(together.chatRequests).toEqual([]);

    // What Together answers for it: 400 model_not_available, its error body.
    const refused = await fetch("https://api.together.xyz/v1/chat/completions", {
      method: "POST",
      headers: { authorization: "Bearer together-test-key", "content-type": "application/json" },
      body: JSON.stringify({ model: run.fine_tuned_model, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: {
        message: `Unable to access non-serverless model ${run.fine_tuned_model}. Please visit https://api.together.ai/models/${run.fine_tuned_model} to create and start a new dedicated endpoint for the model.`,
        type: "invalid_request_error",
        param: null,
        code: "model_not_available",
      },
    });
  });

  it("starts no run a deployment could never serve, says so in the sync report, and records the reason", async () => {
    useTogether({ TOGETHER_FINE_TUNE_BASE_MODEL: "Qwen/Qwen2.5-7B-Instruct" });
    expect((await sync()).servingWarnings).toEqual([
      expect.stringMatching(/^training at together on Qwen\/Qwen2\.5-7B-Instruct is refused: .*not listed for serverless LoRA.*TOGETHER_ENDPOINT_ID/),
    ]);
    const created = await call(quickCreate, "fine-tune-quick", { token: owner.token, body: { ...quick, bookId: bookId() } });
    await backgroundSettled(created.json.model.id);
    const run = (await currentRun(created.json.model.id))!;
    expect(run).toMatchObject({ provider: "together", status: "unavailable" });
    expect(run.error).toMatch(/Together cannot serve a fine-tune of Qwen\/Qwen2\.5-7B-Instruct/);
    expect(together.jobs.size).toBe(0);
    expect(together.files.size).toBe(0);

    // A -Reference base with only a dedicated endpoint is refused the same way.
    const endpoint = together.createEndpoint({ model: DEFAULT_TOGETHER_DEDICATED_BASE_MODEL });
    useTogether({ TOGETHER_ENDPOINT_ID: endpoint.id, TOGETHER_SERVERLESS_LORA_BASE_MODELS: "none", TOGETHER_FINE_TUNE_BASE_MODEL: DEFAULT_TOGETHER_BASE_MODEL });
    expect((await sync()).servingWarnings).toEqual([expect.stringMatching(/-Reference base cannot be deployed on the dedicated endpoint/)]);
  });
});
