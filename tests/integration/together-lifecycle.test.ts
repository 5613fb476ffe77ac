import { getResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import deleteModel from "../../functions/fine-tune-delete/handler.ts";
import quickCreate from "../../functions/fine-tune-quick/handler.ts";
import retrain from "../../functions/fine-tune-retrain/handler.ts";
import status from "../../functions/fine-tune-status/handler.ts";
import { DEFAULT_TOGETHER_BASE_MODEL, DEFAULT_CHAT_MODELS } from "../../shared/env.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { runTrainingSync } from "../../shared/sync/run-training-sync.ts";
import { createOpenAISimulator, failOnUnhandledRequest } from "../../supabase/local/openai-simulator/simulator.ts";
import { createTogetherSimulator } from "../../supabase/local/together-simulator/simulator.ts";
import { backgroundSettled, bookId, call, quick } from "../support/create-model-harness.ts";
import { currentRun } from "../support/models.ts";
import { backToTestDay, pinDay } from "../support/on-day.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";
import { forgetTrainingRefusals } from "../support/training-access.ts";

// TRAINING_PROVIDER=together end to end in-process: the create, status, chat and delete handlers and
// the training sync on the suite's own database; the teacher and the persona fallback answered by
// an OpenAI simulator, the training and the fine-tune's chat by a Together simulator, each on its
// own host. The Together clock moves by hand, the sync runs on the same clock.
const JOB_MS = 60_000;
let clock = Date.now();
const openai = createOpenAISimulator({ jobDurationMs: JOB_MS });
const together = createTogetherSimulator({ jobDurationMs: JOB_MS, now: () => clock });
// Both simulators answer `*/v1/...`: each gets only its own host's requests.
const server = setupServer(
  http.all("https://api.together.xyz/*", ({ request }) => getResponse(together.handlers, request)),
  http.all("https://api.openai.com/*", ({ request }) => getResponse(openai.handlers, request)),
);
let owner: TestUser;

useSuiteDatabase();
beforeAll(async () => {
  server.listen({ onUnhandledRequest: failOnUnhandledRequest });
  owner = await createUser("together");
});
afterAll(() => server.close());
afterEach(() => backToTestDay());
beforeEach(async () => {
  await forgetTrainingRefusals();
  openai.reset();
  together.reset();
  clock = Date.now();
  useStackEnvironment({
    TRAINING_PROVIDER: "together",
    TOGETHER_API_KEY: "together-test-key",
    TOGETHER_BASE_URL: "https://api.together.xyz/v1",
    TOGETHER_ENDPOINT_ID: undefined,
    FINE_TUNING_ENABLED: undefined,
  });
  resetOpenAI();
});

/** Creates a quick model and waits for its Together job; returns the model and the job's id. */
async function createQuickModel() {
  const created = await call(quickCreate, "fine-tune-quick", { token: owner.token, body: { ...quick, bookId: bookId() } });
  expect(created.status).toBe(202);
  const id = created.json.model.id as string;
  expect(created.json.model.base_model).toBe(DEFAULT_TOGETHER_BASE_MODEL);
  await backgroundSettled(id);
  return { id, jobId: (await currentRun(id))!.provider_job_id! };
}

// The sync's clock runs ahead of the database's, so what it scheduled is due at once.
let syncAhead = 3_600_000;
const sync = () => runTrainingSync({ clock: () => new Date(clock + (syncAhead += 900_000)) });

/** The sync, the job a step further each time, until the model's run leaves `pending`/`training` or `tries` runs pass. */
async function syncUntilSettled(modelId: string, tries = 4) {
  for (let run = 0; run < tries; run++) {
    clock += JOB_MS;
    await sync();
    const current = await currentRun(modelId);
    if (current && current.status !== "pending" && current.status !== "training") return current;
  }
  return await currentRun(modelId);
}

describe("TRAINING_PROVIDER=together", () => {
  it("trains a quick model at Together, chats with its fine-tune, and deletes job and model", async () => {
    const { id, jobId } = await createQuickModel();
    const run = await currentRun(id);
    expect(run).toMatchObject({ provider: "together", base_model: DEFAULT_TOGETHER_BASE_MODEL });
    expect(jobId).toMatch(/^ft-/);
    expect(together.jobs.get(jobId)!.suffix).toBe(`sv-${run.id.replaceAll("-", "")}`);
    // The uploaded file is our chat JSONL: one {"messages": [...]} conversation a line.
    const file = together.files.get(together.jobs.get(jobId)!.trainingFile)!;
    expect(file.lineCount).toBeGreaterThanOrEqual(10);
    expect(Object.keys(JSON.parse(file.content.split("\n")[0]))).toEqual(["messages"]);

    // Mid-way the sync records Together's state and progress; at the end, the adapter.
    clock += JOB_MS * 0.5;
    await sync();
    expect(await currentRun(id)).toMatchObject({ status: "training", progress: { providerStatus: "running" } });
    const done = await syncUntilSettled(id);
    expect(done).toMatchObject({ status: "completed", provider: "together" });
    expect(done!.fine_tuned_model).toMatch(/^storyvoice-sim\//);

    const shown = await call(status, `fine-tune-status/${id}`, { token: owner.token, method: "GET" });
    expect(shown.json.model).toMatchObject({ status: "completed", provider: "together", chat_mode: "fine-tuned" });

    const reply = await call(chat, `fine-tune-chat/${id}`, { token: owner.token, body: { message: "Why keep the light?" } });
    expect(reply.status).toBe(200);
    expect(reply.json.usingFallback).toBe(false);
    expect(together.chatRequests.map((request) => request.model)).toEqual([done!.fine_tuned_model]);
    expect(openai.chatRequests.filter((request) => request.model === done!.fine_tuned_model)).toEqual([]);

    const deleted = await call(deleteModel, `fine-tune-delete/${id}`, { token: owner.token, method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(together.jobs.has(jobId)).toBe(false);
    expect(together.requests).toContain(`DELETE /v1/fine-tunes/${jobId}`);
    const [{ count }] = await adminSql()<{ count: number }[]>`select count(*)::int as count from private.fine_tuned_models where id = ${id}`;
    expect(count).toBe(0);
  });

  it("keeps the persona fallback on the configured chat provider while the Together job trains", async () => {
    const { id } = await createQuickModel();
    const reply = await call(chat, `fine-tune-chat/${id}`, { token: owner.token, body: { message: "Who are you?" } });
    expect(reply.json.usingFallback).toBe(true);
    expect(together.chatRequests).toEqual([]);
    expect(openai.chatRequests.at(-1)!.model).toBe(DEFAULT_CHAT_MODELS.openai);
  });

  it("fails the run with Together's reason when its job errors, and goes to persona mode when refused", async () => {
    together.failNextJob("The dataset could not be tokenized.");
    const failing = await createQuickModel();
    expect(await syncUntilSettled(failing.id)).toMatchObject({ status: "failed", error: "The dataset could not be tokenized." });

    together.refuseFineTuning();
    const created = await call(quickCreate, "fine-tune-quick", {
      token: owner.token,
      body: { ...quick, entityName: "Isla Corran", bookId: bookId() },
    });
    await backgroundSettled(created.json.model.id);
    expect(await currentRun(created.json.model.id)).toMatchObject({ provider: "together", status: "unavailable" });
  });

  it("never starts a second Together job for a run whose job was started but not recorded", async () => {
    const { id, jobId } = await createQuickModel();
    // A worker that died after Together accepted the job: the run has its file but no job yet.
    await adminSql()`update public.training_runs set provider_job_id = null, status = 'pending', next_check_at = now() - interval '1 second' where model_id = ${id}`;
    await runTrainingSync({ clock: () => new Date() });
    await backgroundSettled(id);
    expect([...together.jobs.keys()]).toEqual([jobId]);
    expect((await currentRun(id))!.provider_job_id).toBe(jobId);
  });

  it("moves a run OpenAI refuses on to Together, the reason recorded, and trains it there", async () => {
    useStackEnvironment({
      TRAINING_PROVIDER: undefined,
      TRAINING_PROVIDERS: "openai,together",
      TOGETHER_API_KEY: "together-test-key",
      TOGETHER_BASE_URL: "https://api.together.xyz/v1",
      TOGETHER_ENDPOINT_ID: undefined,
    });
    resetOpenAI();
    openai.refuseFineTuning();

    const created = await call(quickCreate, "fine-tune-quick", { token: owner.token, body: { ...quick, bookId: bookId() } });
    expect(created.status).toBe(202);
    const id = created.json.model.id as string;
    await backgroundSettled(id);

    const run = (await currentRun(id))!;
    expect(run).toMatchObject({ provider: "together", base_model: DEFAULT_TOGETHER_BASE_MODEL });
    expect(run.provider_job_id).toMatch(/^ft-/);
    const [{ provider_moves }] = await adminSql()`select provider_moves from public.training_runs where id = ${run.id}`;
    expect(provider_moves).toEqual([expect.objectContaining({ from: "openai", to: "together", reason: expect.stringMatching(/fine-tuning/i) })]);
    expect(openai.jobs.size).toBe(0);

    expect((await syncUntilSettled(id))?.status).toBe("completed");
    const [model] = await adminSql()`select status, provider, chat_mode from private.fine_tuned_models where id = ${id}`;
    expect(model).toMatchObject({ status: "completed", provider: "together", chat_mode: "fine-tuned" });
  });

  it("retrains a persona at Together before its OpenAI fine-tune shuts down, chatting on the old one meanwhile", async () => {
    useStackEnvironment({
      TRAINING_PROVIDER: undefined,
      TRAINING_PROVIDERS: "openai,together",
      RETRAIN_BEFORE_SHUTDOWN_DAYS: "14",
      TOGETHER_API_KEY: "together-test-key",
      TOGETHER_BASE_URL: "https://api.together.xyz/v1",
      TOGETHER_ENDPOINT_ID: undefined,
    });
    resetOpenAI();
    // A persona fine-tuned at OpenAI on gpt-4.1-mini, which the catalogue says shuts down 2027-01-14.
    const oldFineTune = `ft:gpt-4.1-mini-2025-04-14:storyvoice:sv-${crypto.randomUUID().slice(0, 8)}:AbCd1234`;
    openai.fineTunedModels.add(oldFineTune);
    const [{ id }] = await adminSql()`
      insert into private.fine_tuned_models (name, type, entity_name, book_id, status, style_description, base_model,
                                             openai_model_id, openai_job_id, created_by)
      values ('Ada', 'author', 'Ada', ${bookId()}, 'completed', 'You are Ada.', 'gpt-4.1-mini-2025-04-14',
              ${oldFineTune}, 'ftjob-old', ${owner.id})
      returning id`;
    await adminSql()`
      insert into public.training_examples (model_id, source, topic, position, messages)
      select ${id}, 'generated', 'craft', n,
             jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'Question ' || n),
                               jsonb_build_object('role', 'assistant', 'content', 'Answer ' || n))
      from generate_series(0, 11) as n`;

    // Three weeks before: nothing yet. Nine days before: a new run at Together, trained from the examples.
    // The day is the product's; the sync's own clock stays ahead of the database's, so the run is due.
    pinDay("2026-12-24");
    expect((await sync()).retrainsStarted).toBe(0);
    pinDay("2027-01-05");
    const report = await sync();
    expect(report.retrainsStarted).toBe(1);
    await backgroundSettled(id);
    const retrain = (await currentRun(id))!;
    expect(retrain).toMatchObject({ provider: "together", base_model: DEFAULT_TOGETHER_BASE_MODEL });
    expect(retrain.provider_job_id).toMatch(/^ft-/);
    expect(together.files.get(together.jobs.get(retrain.provider_job_id!)!.trainingFile)!.lineCount).toBe(12);

    // While it trains, the old fine-tune still answers.
    const during = await call(chat, `fine-tune-chat/${id}`, { token: owner.token, body: { message: "Still you?" } });
    expect(during.json.usingFallback).toBe(false);
    expect(openai.chatRequests.at(-1)!.model).toBe(oldFineTune);
    // A second sync run starts no second retrain.
    expect((await sync()).retrainsStarted).toBe(0);

    // The sync goes on that day while Together trains.
    let done = await currentRun(id);
    for (let run = 1; run <= 4 && done?.status !== "completed"; run++) {
      clock += JOB_MS;
      await sync();
      done = await currentRun(id);
    }
    expect(done).toMatchObject({ status: "completed", provider: "together" });
    const [model] = await adminSql()`select provider, openai_model_id, chat_mode from private.fine_tuned_models where id = ${id}`;
    expect(model).toMatchObject({ provider: "together", openai_model_id: done!.fine_tuned_model, chat_mode: "fine-tuned" });
    const after = await call(chat, `fine-tune-chat/${id}`, { token: owner.token, body: { message: "And now?" } });
    expect(after.json.usingFallback).toBe(false);
    expect(together.chatRequests.at(-1)!.model).toBe(done!.fine_tuned_model);
  });

  it("lets the owner retrain an OpenAI persona at Together, on Together's own base model", async () => {
    const fineTune = `ft:gpt-4.1-mini-2025-04-14:storyvoice:sv-${crypto.randomUUID().slice(0, 8)}:EfGh5678`;
    openai.fineTunedModels.add(fineTune);
    const [{ id }] = await adminSql()`
      insert into private.fine_tuned_models (name, type, entity_name, book_id, status, style_description, base_model,
                                             openai_model_id, openai_job_id, created_by)
      values ('Bea', 'author', 'Bea', ${bookId()}, 'completed', 'You are Bea.', 'gpt-4.1-mini-2025-04-14',
              ${fineTune}, 'ftjob-bea', ${owner.id})
      returning id`;
    await adminSql()`
      insert into public.training_examples (model_id, source, topic, position, messages)
      select ${id}, 'user', 'craft', n,
             jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'Question ' || n),
                               jsonb_build_object('role', 'assistant', 'content', 'Answer ' || n))
      from generate_series(0, 9) as n`;

    const started = await call(retrain, `fine-tune-retrain/${id}`, { token: owner.token, body: { provider: "together" } });
    expect(started.status).toBe(202);
    await backgroundSettled(id);
    const run = (await currentRun(id))!;
    expect(run).toMatchObject({ provider: "together", base_model: DEFAULT_TOGETHER_BASE_MODEL, status: "pending" });
    expect(run.provider_job_id).toMatch(/^ft-/);
  });
});
