import { getResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import quickCreate from "../../functions/fine-tune-quick/handler.ts";
import status from "../../functions/fine-tune-status/handler.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { createOpenAISimulator, failOnUnhandledRequest } from "../../supabase/local/openai-simulator/simulator.ts";
import { createTogetherSimulator } from "../../supabase/local/together-simulator/simulator.ts";
import { backgroundSettled, bookId, call, quick } from "../support/create-model-harness.ts";
import { currentRun } from "../support/models.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";
import { forgetTrainingRefusals } from "../support/training-access.ts";

// An OpenAI organisation without fine-tuning access (the simulator answers OpenAI's 403
// `training_not_available`): the first model learns it, persona mode or the next provider with the
// plain reason; every later model skips OpenAI without asking again, until the memory expires.
const openai = createOpenAISimulator();
const together = createTogetherSimulator();
const server = setupServer(
  http.all("https://api.together.xyz/*", ({ request }) => getResponse(together.handlers, request)),
  http.all("https://api.openai.com/*", ({ request }) => getResponse(openai.handlers, request)),
);
const REFUSED = /^Fine-tuning at OpenAI is not available to this organisation: /;
let owner: TestUser;
/** What reached OpenAI's fine-tuning side: uploads and job creations. */
let calls: { uploads: number; jobCreates: number };

useSuiteDatabase();
beforeAll(async () => {
  server.listen({ onUnhandledRequest: failOnUnhandledRequest });
  server.events.on("request:start", ({ request }) => {
    if (request.method !== "POST" || !request.url.startsWith("https://api.openai.com/")) return;
    const path = new URL(request.url).pathname;
    if (path === "/v1/files") calls.uploads++;
    if (path === "/v1/fine_tuning/jobs") calls.jobCreates++;
  });
  owner = await createUser("training-access");
});
afterAll(() => server.close());
beforeEach(async () => {
  openai.reset();
  together.reset();
  openai.denyFineTuningAccess();
  calls = { uploads: 0, jobCreates: 0 };
  useStackEnvironment({
    TRAINING_PROVIDER: undefined,
    TRAINING_PROVIDERS: undefined,
    TOGETHER_API_KEY: undefined,
    TOGETHER_BASE_URL: "https://api.together.xyz/v1",
    TOGETHER_CHAT_ENDPOINT: undefined,
    FINE_TUNING_ENABLED: undefined,
  });
  resetOpenAI();
  await forgetTrainingRefusals();
});

async function createModel(entityName: string) {
  const created = await call(quickCreate, "fine-tune-quick", { token: owner.token, body: { ...quick, entityName, bookId: bookId() } });
  expect(created.status).toBe(202);
  const id = created.json.model.id as string;
  await backgroundSettled(id);
  return id;
}

const statusOf = (id: string) => call(status, `fine-tune-status/${id}`, { token: owner.token, method: "GET" });

describe("OpenAI fine-tuning access refused for the organisation", () => {
  it("persona mode with the plain reason on the first model; the next model never asks OpenAI", async () => {
    const first = await createModel("Maren Hale");
    expect(await currentRun(first)).toMatchObject({ provider: "openai", status: "unavailable", error: expect.stringMatching(REFUSED) });
    expect(calls).toEqual({ uploads: 1, jobCreates: 1 });

    const second = await createModel("Isla Corran");
    expect(await currentRun(second)).toMatchObject({ status: "unavailable", error: expect.stringMatching(REFUSED) });
    expect(calls).toEqual({ uploads: 1, jobCreates: 1 }); // no second upload, no second refusal
    expect(openai.jobs.size).toBe(0);

    const answer = await statusOf(second);
    expect(answer.status).toBe(200);
    expect(answer.json.model).toMatchObject({ status: "ready", error: expect.stringMatching(REFUSED) });
    expect(answer.json.trainingNotice).toEqual({
      provider: "openai",
      reason: expect.stringMatching(REFUSED),
      advice: "New models answer in persona mode. To fine-tune elsewhere, set TOGETHER_API_KEY and TRAINING_PROVIDERS=openai,together.",
      refusedAt: expect.any(String),
      recheckAfter: expect.any(String),
    });
    // Remembered by organisation (here a hash of the endpoint and key), never the key itself.
    const rows = await adminSql()<{ account: string }[]>`select account from private.training_access_refusals where provider = 'openai'`;
    expect(rows).toEqual([{ account: expect.stringMatching(/^key-sha256:[0-9a-f]{32}$/) }]);
  });

  it("with TRAINING_PROVIDERS=openai,together the first model moves to Together, the next goes there straight", async () => {
    useStackEnvironment({ TRAINING_PROVIDERS: "openai,together", TOGETHER_API_KEY: "together-test-key" });
    const first = await createModel("Maren Hale");
    const firstRun = (await currentRun(first))!;
    expect(firstRun).toMatchObject({ provider: "together", provider_job_id: expect.stringMatching(/^ft-/) });
    expect(calls.jobCreates).toBe(1);

    const second = await createModel("Isla Corran");
    expect((await currentRun(second))!).toMatchObject({ provider: "together", provider_job_id: expect.stringMatching(/^ft-/) });
    expect(calls).toEqual({ uploads: 1, jobCreates: 1 });
    const [{ provider_moves }] = await adminSql()`select provider_moves from public.training_runs where model_id = ${second}`;
    expect(provider_moves).toEqual([expect.objectContaining({ from: "openai", to: "together", reason: expect.stringMatching(REFUSED) })]);
    expect(together.jobs.size).toBe(2);

    expect((await statusOf(second)).json.trainingNotice).toMatchObject({
      provider: "openai",
      advice: "New models train at together (the next of TRAINING_PROVIDERS).",
    });
  });

  it("asks OpenAI again once the refusal is older than TRAINING_REFUSAL_RECHECK_DAYS, or after an admin deletes it", async () => {
    await createModel("Maren Hale");
    await adminSql()`update private.training_access_refusals set refused_at = now() - interval '8 days'`;
    await createModel("Isla Corran");
    expect(calls.jobCreates).toBe(2);

    await adminSql()`delete from private.training_access_refusals`;
    openai.reset(); // access granted meanwhile
    const third = await createModel("Tomas Reyes");
    expect(calls.jobCreates).toBe(3);
    expect((await currentRun(third))!.provider_job_id).toMatch(/^ftjob-/);
  });

  it("another organisation (OPENAI_ORGANIZATION) is asked for itself", async () => {
    openai.reset();
    openai.denyFineTuningAccess("org-refused");
    useStackEnvironment({ OPENAI_ORGANIZATION: "org-refused" });
    resetOpenAI();
    await createModel("Maren Hale");
    expect(await adminSql()`select account from private.training_access_refusals`).toEqual([{ account: "org:org-refused" }]);

    useStackEnvironment({ OPENAI_ORGANIZATION: "org-allowed" });
    resetOpenAI();
    const other = await createModel("Isla Corran");
    expect((await currentRun(other))!.provider_job_id).toMatch(/^ftjob-/);
    expect(calls.jobCreates).toBe(2);
    useStackEnvironment({ OPENAI_ORGANIZATION: undefined });
  });
});
