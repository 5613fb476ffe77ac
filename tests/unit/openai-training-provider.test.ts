import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnv } from "../../shared/env.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import {
  MODEL_ID_METADATA_KEY,
  RUN_ID_METADATA_KEY,
  normalizeJobStatus,
  OpenAITrainingProvider,
  suffixForModel,
} from "../../shared/providers/openai/training.ts";
import { safeProviderText } from "../../shared/providers/openai/errors.ts";
import { trainingProvider } from "../../shared/providers/registry.ts";
import { ProviderError } from "../../shared/llm/errors.ts";
import { jobObject } from "../../supabase/local/openai-simulator/job-timeline.ts";
import { paginate } from "../../supabase/local/openai-simulator/responses.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";

const START = Date.UTC(2026, 5, 1, 12, 0, 0);
const JOB_DURATION_MS = 100_000;
let clock = START;
const sim = createOpenAISimulator({ jobDurationMs: JOB_DURATION_MS, now: () => clock });
const server = setupServer(...sim.handlers);

const MODEL_ID = "6d1f0c7a-4b2e-4f5a-9c3d-2e8b7a6f5d4c";
const RUN_ID = "7e2a1d8b-5c3f-4a6b-8d4e-3f9c8b7a6e5d";
const RETRAIN_RUN_ID = "8f3b2e9c-6d4a-4b7c-9e5f-4a0d9c8b7f6e";
const FIRST_RUN = { modelId: MODEL_ID, runId: RUN_ID, firstRun: true };
const API_KEY = "sk-test-storyvoice-secret-key-1234";
const BASE_MODEL = "gpt-4.1-mini-2025-04-14";

function trainingJsonl(examples = 10): string {
  return Array.from({ length: examples }, (_, index) =>
    JSON.stringify({
      messages: [
        { role: "system", content: "You are Ada Byron, the author of Engines." },
        { role: "user", content: `Question ${index}: what inspired you?` },
        { role: "assistant", content: `Answer ${index}: the looms of my childhood.` },
      ],
    })).join("\n") + "\n";
}

/** A job created straight through the API with the model id as its only metadata, as before runs were tagged. */
async function openAIJobWithModelIdOnly(fileId: string): Promise<string> {
  const response = await fetch("https://api.openai.com/v1/fine_tuning/jobs", {
    method: "POST",
    headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ model: BASE_MODEL, training_file: fileId, metadata: { [MODEL_ID_METADATA_KEY]: MODEL_ID } }),
  });
  return ((await response.json()) as { id: string }).id;
}

/** Rejects with a ProviderError: answers it for assertions on kind, status and message. */
async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => null, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

async function startJob(provider: OpenAITrainingProvider, modelId = MODEL_ID, runId = RUN_ID) {
  const { fileId } = await provider.uploadTrainingFile(trainingJsonl(), "training.jsonl");
  return await provider.createJob({ modelId, runId, trainingFileId: fileId, baseModel: BASE_MODEL, epochs: 2 });
}

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());
afterEach(() => server.resetHandlers());
beforeEach(() => {
  sim.reset();
  clock = START;
  Object.assign(process.env, {
    OPENAI_API_KEY: API_KEY,
    OPENAI_BASE_URL: "https://api.openai.com/v1",
    SUPABASE_DB_URL: "postgresql://unused@127.0.0.1:1/x",
    OPENAI_MAX_RETRIES: "0",
    OPENAI_TIMEOUT_MS: "5000",
  });
  resetEnv();
  resetOpenAI();
});

describe("OpenAITrainingProvider: a job's life", () => {
  it("uploads JSONL, starts a supervised job tagged with the model id, and follows it to succeeded", async () => {
    const provider = new OpenAITrainingProvider();
    const { fileId } = await provider.uploadTrainingFile(trainingJsonl(12), "author-model");
    const uploaded = sim.files.get(fileId);
    expect(uploaded?.purpose).toBe("fine-tune");
    expect(uploaded?.filename).toBe("author-model.jsonl");
    expect(uploaded?.content).toBe(trainingJsonl(12));

    const created = await provider.createJob({
      modelId: MODEL_ID,
      runId: RUN_ID,
      trainingFileId: fileId,
      baseModel: BASE_MODEL,
      epochs: 2,
    });
    expect(created).toMatchObject({ status: "pending", rawStatus: "validating_files", fineTunedModel: null, error: null });
    const job = sim.jobs.get(created.id)!;
    expect(job.metadata).toEqual({ [MODEL_ID_METADATA_KEY]: MODEL_ID, [RUN_ID_METADATA_KEY]: RUN_ID });
    expect(job.suffix).toBe(suffixForModel(MODEL_ID));
    expect(job.model).toBe(BASE_MODEL);
    expect(job.training_file).toBe(fileId);
    expect(job.hyperparameters.n_epochs).toBe(2);
    expect(job.method.type).toBe("supervised");

    clock = START + JOB_DURATION_MS * 0.2;
    expect(await provider.getJob(created.id)).toMatchObject({ status: "pending", rawStatus: "queued", progress: null });

    clock = START + JOB_DURATION_MS * 0.7;
    const running = await provider.getJob(created.id);
    expect(running.status).toBe("training");
    expect(running.estimatedFinish?.getTime()).toBe(START + JOB_DURATION_MS);
    expect(running.progress?.totalSteps).toBe(24); // 12 examples x 2 epochs
    expect(running.progress?.step).toBeGreaterThan(0);
    expect(running.progress!.step).toBeLessThan(24);

    clock = START + JOB_DURATION_MS + 1;
    const done = await provider.getJob(created.id);
    expect(done).toMatchObject({ status: "succeeded", rawStatus: "succeeded", error: null, progress: null });
    expect(done.fineTunedModel).toMatch(/^ft:gpt-4\.1-mini-2025-04-14:/);
    expect(sim.fineTunedModels.has(done.fineTunedModel!)).toBe(true);
    expect(done.trainedTokens).toBeGreaterThan(0);
  });

  it("reports a failed job with the provider's reason", async () => {
    const provider = new OpenAITrainingProvider();
    sim.failNextJob({ message: "The job failed due to an internal error." });
    const created = await startJob(provider);
    clock = START + JOB_DURATION_MS + 1;
    const failed = await provider.getJob(created.id);
    expect(failed.status).toBe("failed");
    expect(failed.fineTunedModel).toBeNull();
    expect(failed.error).toBe("internal_error: The job failed due to an internal error.");
  });

  it("finds the job already started for a run by its metadata, so a retry starts none", async () => {
    const provider = new OpenAITrainingProvider();
    expect(await provider.findJobForRun(FIRST_RUN)).toBeNull();

    const created = await startJob(provider);
    // another model's job, newer
    await startJob(provider, "0a9b8c7d-0000-4000-8000-000000000001", "0a9b8c7d-0000-4000-8000-0000000000ff");

    const found = await provider.findJobForRun(FIRST_RUN);
    expect(found?.id).toBe(created.id);
    expect(found?.status).toBe("pending");
    expect(sim.jobs.size).toBe(2);
  });

  it("a retrain's run never adopts the job of the model's earlier run", async () => {
    const provider = new OpenAITrainingProvider();
    const first = await startJob(provider);
    const retrain = { modelId: MODEL_ID, runId: RETRAIN_RUN_ID, firstRun: false };
    expect(await provider.findJobForRun(retrain)).toBeNull();

    const second = await startJob(provider, MODEL_ID, RETRAIN_RUN_ID);
    expect((await provider.findJobForRun(retrain))?.id).toBe(second.id);
    expect((await provider.findJobForRun(FIRST_RUN))?.id).toBe(first.id);
  });

  it("a job tagged with the model id alone (started before runs were tagged) belongs to the first run only", async () => {
    const provider = new OpenAITrainingProvider();
    const { fileId } = await provider.uploadTrainingFile(trainingJsonl(), "legacy.jsonl");
    const legacy = await openAIJobWithModelIdOnly(fileId);

    expect((await provider.findJobForRun(FIRST_RUN))?.id).toBe(legacy);
    expect(await provider.findJobForRun({ modelId: MODEL_ID, runId: RETRAIN_RUN_ID, firstRun: false })).toBeNull();
  });

  it("scans recent jobs, a bounded number of pages, when a server ignores the metadata filter", async () => {
    const provider = new OpenAITrainingProvider();
    const created = await startJob(provider);
    const { fileId } = await provider.uploadTrainingFile(trainingJsonl(), "other.jsonl");
    for (let index = 0; index < 25; index++) {
      const otherModel = `0a9b8c7d-0000-4000-8000-${String(index).padStart(12, "0")}`;
      await provider.createJob({ modelId: otherModel, runId: otherModel, trainingFileId: fileId, baseModel: BASE_MODEL, epochs: 1 });
    }
    const listQueries: URLSearchParams[] = [];
    server.use(http.get("*/v1/fine_tuning/jobs", ({ request }) => {
      const query = new URL(request.url).searchParams;
      listQueries.push(query);
      const newestFirst = [...sim.jobs.values()].reverse();
      const page = paginate(newestFirst, query);
      return HttpResponse.json({ ...page, data: page.data.map(jobObject) });
    }));

    const found = await provider.findJobForRun(FIRST_RUN);
    expect(found?.id).toBe(created.id);
    expect(listQueries).toHaveLength(2);
    expect(listQueries[0].get(`metadata[${RUN_ID_METADATA_KEY}]`)).toBe(RUN_ID);
    expect(listQueries[1].get("after")).toBeTruthy();
  });

  it("rejects an epoch count the provider would refuse before calling it", async () => {
    const provider = new OpenAITrainingProvider();
    const error = await providerError(
      provider.createJob({ modelId: MODEL_ID, runId: RUN_ID, trainingFileId: "file-x", baseModel: BASE_MODEL, epochs: 0 }),
    );
    expect(error.kind).toBe("invalid_request");
    expect(sim.jobs.size).toBe(0);
  });
});

describe("OpenAITrainingProvider: refusals and failures", () => {
  it.each([400, 403, 404] as const)("a %i refusal of job creation means fine-tuning is unavailable", async (status) => {
    sim.refuseFineTuning({ status });
    const provider = new OpenAITrainingProvider();
    const error = await providerError(startJob(provider));
    expect(error.kind).toBe("unavailable");
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("Fine-tuning is not available");
    expect(error.message).not.toContain(API_KEY);
    expect(error.message).not.toContain("looms of my childhood"); // nothing of the request body
    expect(sim.jobs.size).toBe(0);
  });

  it("a 400 about our own request on creation is invalid_request, not a refusal", async () => {
    const provider = new OpenAITrainingProvider();
    const error = await providerError(
      provider.createJob({ modelId: MODEL_ID, runId: RUN_ID, trainingFileId: "file-missing", baseModel: BASE_MODEL, epochs: 2 }),
    );
    expect(error.kind).toBe("invalid_request");
    expect(error.status).toBe(400);
  });

  it("429 after the SDK's retries is rate_limited; 500 is server", async () => {
    const provider = new OpenAITrainingProvider();
    const created = await startJob(provider);

    sim.inject({ method: "GET", path: `/v1/fine_tuning/jobs/${created.id}`, kind: "status", status: 429 });
    const limited = await providerError(provider.getJob(created.id));
    expect(limited.kind).toBe("rate_limited");
    expect(limited.status).toBe(429);
    expect(limited.retryable).toBe(true);

    sim.inject({ method: "POST", path: "/v1/files", kind: "status", status: 500 });
    const broken = await providerError(provider.uploadTrainingFile(trainingJsonl(), "training.jsonl"));
    expect(broken.kind).toBe("server");
    expect(broken.status).toBe(500);
  });

  it("a provider that does not answer in OPENAI_TIMEOUT_MS is a timeout", async () => {
    process.env.OPENAI_TIMEOUT_MS = "100";
    resetEnv();
    resetOpenAI();
    const provider = new OpenAITrainingProvider();
    sim.inject({ path: "/v1/fine_tuning/jobs", method: "POST", kind: "timeout", delayMs: 5_000 });
    const { fileId } = await provider.uploadTrainingFile(trainingJsonl(), "training.jsonl");
    const error = await providerError(
      provider.createJob({ modelId: MODEL_ID, runId: RUN_ID, trainingFileId: fileId, baseModel: BASE_MODEL, epochs: 2 }),
    );
    expect(error.kind).toBe("timeout");
  });

  it("a body that is not valid JSON is bad_response, for a job and for the job list", async () => {
    const provider = new OpenAITrainingProvider();
    const created = await startJob(provider);
    sim.inject({ method: "GET", path: `/v1/fine_tuning/jobs/${created.id}`, kind: "malformed" });
    expect((await providerError(provider.getJob(created.id))).kind).toBe("bad_response");

    // An unreadable list must fail, not read as "no job yet" (which would start a second job).
    sim.inject({ method: "GET", path: "/v1/fine_tuning/jobs", kind: "malformed" });
    expect((await providerError(provider.findJobForRun(FIRST_RUN))).kind).toBe("bad_response");
  });

  it("a job the provider does not know is not_found", async () => {
    const error = await providerError(new OpenAITrainingProvider().getJob("ftjob-doesnotexist"));
    expect(error.kind).toBe("not_found");
    expect(error.status).toBe(404);
  });
});

describe("OpenAITrainingProvider: clean-up", () => {
  it("cancels a running job", async () => {
    const provider = new OpenAITrainingProvider();
    const created = await startJob(provider);
    clock = START + JOB_DURATION_MS * 0.5;
    await provider.cancelJob(created.id);
    expect((await provider.getJob(created.id)).status).toBe("cancelled");
  });

  it("cancelling a job that already finished, or was already cancelled, is not an error", async () => {
    const provider = new OpenAITrainingProvider();
    const finished = await startJob(provider);
    clock = START + JOB_DURATION_MS + 1;
    await expect(provider.cancelJob(finished.id)).resolves.toBeUndefined();
    expect((await provider.getJob(finished.id)).status).toBe("succeeded");

    const cancelled = await startJob(provider, "0a9b8c7d-0000-4000-8000-000000000002");
    await provider.cancelJob(cancelled.id);
    clock += 1;
    await expect(provider.cancelJob(cancelled.id)).resolves.toBeUndefined();
  });

  it("a cancel that fails for the provider's reasons still fails", async () => {
    const provider = new OpenAITrainingProvider();
    const created = await startJob(provider);
    sim.inject({ method: "POST", path: `/v1/fine_tuning/jobs/${created.id}/cancel`, kind: "status", status: 500 });
    expect((await providerError(provider.cancelJob(created.id))).kind).toBe("server");
  });

  it("deletes a fine-tuned model, and deleting one that is already gone is not an error", async () => {
    const provider = new OpenAITrainingProvider();
    const created = await startJob(provider);
    clock = START + JOB_DURATION_MS + 1;
    const model = (await provider.getJob(created.id)).fineTunedModel!;
    expect(sim.fineTunedModels.has(model)).toBe(true);

    await provider.deleteModel(model);
    expect(sim.fineTunedModels.has(model)).toBe(false);
    await expect(provider.deleteModel(model)).resolves.toBeUndefined();
    await expect(provider.deleteModel("ft:gpt-4.1-mini-2025-04-14:acme:never:abc123")).resolves.toBeUndefined();
  });
});

describe("provider helpers and registry", () => {
  it("normalises every documented status and keeps unknown ones as unknown", () => {
    expect(["validating_files", "queued", "running", "succeeded", "failed", "cancelled", "paused"].map(normalizeJobStatus))
      .toEqual(["pending", "pending", "training", "succeeded", "failed", "cancelled", "unknown"]);
  });

  it("derives a short, valid suffix from the model id", () => {
    expect(suffixForModel(MODEL_ID)).toBe("sv-6d1f0c7a4b2e");
    expect(suffixForModel("Some ID/with:odd chars")).toMatch(/^sv-[a-z0-9]{1,12}$/);
    expect(suffixForModel("---")).toBe("storyvoice");
  });

  it("never lets the API key into a stored message, masked or not", () => {
    const text = safeProviderText(`Incorrect API key provided: ${API_KEY}. Also sk-abc1****wxyz was used.`);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain("sk-abc1");
    expect(text).toContain("[redacted]");
    expect(safeProviderText("x".repeat(1000)).length).toBeLessThanOrEqual(300);
  });

  it("chooses OpenAI, available only when a key is configured", () => {
    const provider = trainingProvider();
    expect(provider.name).toBe("openai");
    expect(provider.isAvailable()).toBe(true);
    expect(trainingProvider("openai")).toBe(provider);

    delete process.env.OPENAI_API_KEY;
    resetEnv();
    expect(trainingProvider().isAvailable()).toBe(false);
    expect(() => trainingProvider("fireworks")).toThrow(/Unknown training provider/);
  });
});
