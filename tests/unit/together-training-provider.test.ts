import { togetherChat } from "../../shared/providers/together/chat.ts";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_TOGETHER_BASE_MODEL, resetEnv } from "../../shared/env.ts";
import { ProviderError } from "../../shared/llm/errors.ts";
import { trainingProvider } from "../../shared/providers/registry.ts";
import { togetherChatBody } from "../../shared/providers/together/chat.ts";
import { normalizeTogetherStatus, togetherSuffixForRun, toProviderJob } from "../../shared/providers/together/jobs.ts";
import { togetherTrainingPrice } from "../../shared/providers/together/pricing.ts";
import { createJobBody, TogetherTrainingProvider } from "../../shared/providers/together/training.ts";
import { estimateTrainingCost } from "../../shared/training/jsonl.ts";
import { createTogetherSimulator } from "../../supabase/local/together-simulator/simulator.ts";

// The Together provider against the in-process Together simulator (msw), on a clock moved by hand.
const START = Date.UTC(2026, 11, 5, 12, 0, 0);
const JOB_MS = 100_000;
let clock = START;
const sim = createTogetherSimulator({ jobDurationMs: JOB_MS, now: () => clock });
const server = setupServer(...sim.handlers);
const BASE = "https://api.together.xyz/v1";
const MODEL_ID = "6d1f0c7a-4b2e-4f5a-9c3d-2e8b7a6f5d4c";
const RUN_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const API_KEY = "together-test-key-0123456789";

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

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => null, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const provider = new TogetherTrainingProvider();
async function startJob(runId = RUN_ID, epochs = 2) {
  const { fileId } = await provider.uploadTrainingFile(trainingJsonl(), "storyvoice-x.jsonl");
  return await provider.createJob({ modelId: MODEL_ID, runId, trainingFileId: fileId, baseModel: DEFAULT_TOGETHER_BASE_MODEL, epochs });
}

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());
afterEach(() => server.resetHandlers());
beforeEach(() => {
  sim.reset();
  clock = START;
  Object.assign(process.env, {
    SUPABASE_DB_URL: "postgresql://postgres:postgres@127.0.0.1:1/unused",
    TOGETHER_API_KEY: API_KEY,
    TOGETHER_BASE_URL: BASE,
    TRAINING_PROVIDER: "together",
  });
  delete process.env.TOGETHER_CHAT_ENDPOINT;
  resetEnv();
});

describe("Together job states", () => {
  it("maps every Together status, and keeps one it has never seen as unknown", () => {
    const statuses = ["pending", "queued", "running", "compressing", "uploading", "cancel_requested", "cancelled", "error", "completed", "paused"];
    expect(Object.fromEntries(statuses.map((status) => [status, normalizeTogetherStatus(status)]))).toEqual({
      pending: "pending",
      queued: "pending",
      running: "training",
      compressing: "training",
      uploading: "training",
      cancel_requested: "training",
      cancelled: "cancelled",
      error: "failed",
      completed: "succeeded",
      paused: "unknown",
    });
    expect(toProviderJob({ id: "ft-1", status: "paused" })).toMatchObject({ status: "unknown", rawStatus: "paused", fineTunedModel: null });
  });

  it("reads progress from the newest step event, the model only once completed, and the error's reason", () => {
    const events = [{ step: 0, total_steps: 40 }, { step: 12, total_steps: 40 }];
    expect(toProviderJob({ id: "ft-1", status: "running", model_output_name: "acct/x", events }))
      .toMatchObject({ status: "training", progress: { step: 12, totalSteps: 40 }, fineTunedModel: null });
    expect(toProviderJob({ id: "ft-1", status: "completed", model_output_name: "acct/x", token_count: 900 }))
      .toMatchObject({ status: "succeeded", fineTunedModel: "acct/x", trainedTokens: 900 });
    expect(toProviderJob({ id: "ft-1", status: "error", events: [{ type: "job_error", message: "bad data" }] }).error).toBe("bad data");
  });
});

describe("Together requests", () => {
  it("starts a LoRA supervised job tagged with the whole training run id", () => {
    const body = createJobBody({ modelId: MODEL_ID, runId: RUN_ID, trainingFileId: "file-1", baseModel: DEFAULT_TOGETHER_BASE_MODEL, epochs: 2 });
    expect(body).toEqual({
      model: DEFAULT_TOGETHER_BASE_MODEL,
      training_file: "file-1",
      n_epochs: 2,
      suffix: "sv-0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d",
      training_type: { type: "Lora", lora_r: 8, lora_alpha: 16 },
      training_method: { method: "sft", train_on_inputs: "auto" },
    });
    expect(togetherSuffixForRun(RUN_ID).length).toBeLessThanOrEqual(64);
  });

  it("uploads the chat JSONL unchanged as a multipart fine-tune file", async () => {
    let form: FormData | undefined;
    server.events.on("request:start", async ({ request }) => {
      if (new URL(request.url).pathname === "/v1/files/upload") form = await request.clone().formData();
    });
    const { fileId } = await provider.uploadTrainingFile(trainingJsonl(), "storyvoice-x");
    server.events.removeAllListeners();
    expect(fileId).toMatch(/^file-/);
    expect(sim.files.get(fileId)!.content).toBe(trainingJsonl());
    expect(form?.get("purpose")).toBe("fine-tune");
    expect(form?.get("file_name")).toBe("storyvoice-x.jsonl");
    expect(form?.get("file_type")).toBe("jsonl");
  });

  it("chats with max_tokens and the adapter's name", () => {
    expect(togetherChatBody({ model: "acct/a", messages: [{ role: "user", content: "hi" }], temperature: 0.5, maxTokens: 99 }, true))
      .toEqual({ model: "acct/a", messages: [{ role: "user", content: "hi" }], temperature: 0.5, max_tokens: 99, stream: true });
  });
});

describe("TogetherTrainingProvider against the simulator", () => {
  it("follows a job from pending to completed with progress, and chats with the adapter", async () => {
    const job = await startJob();
    expect(job).toMatchObject({ status: "pending", rawStatus: "pending" });
    clock = START + JOB_MS * 0.2;
    expect((await provider.getJob(job.id)).rawStatus).toBe("queued");
    clock = START + JOB_MS * 0.6;
    const running = await provider.getJob(job.id);
    expect(running.status).toBe("training");
    expect(running.progress!.step).toBeGreaterThan(0);
    expect(running.progress!.totalSteps).toBe(20);
    clock = START + JOB_MS * 0.85;
    expect((await provider.getJob(job.id)).rawStatus).toBe("compressing");
    clock = START + JOB_MS * 0.95;
    expect((await provider.getJob(job.id)).rawStatus).toBe("uploading");
    clock = START + JOB_MS;
    const done = await provider.getJob(job.id);
    expect(done.status).toBe("succeeded");
    expect(done.fineTunedModel).toMatch(/^storyvoice-sim\/Meta-Llama-3\.1-8B-Instruct-Reference-sv-0a1b2c3d/);

    const reply = await togetherChat.completeChat({
      model: done.fineTunedModel!,
      messages: [{ role: "system", content: "You are Ada Byron, the author of Engines." }, { role: "user", content: "Why engines?" }],
    });
    expect(reply.text).toContain("As Ada Byron");
    const deltas: string[] = [];
    for await (const event of togetherChat.streamChat({ model: done.fineTunedModel!, messages: [{ role: "user", content: "Again?" }] })) {
      if (event.type === "delta") deltas.push(event.text);
      else expect(event.tokensUsed).toBeGreaterThan(0);
    }
    expect(deltas.join("")).toContain("Again?");
  });

  it("finds the job it started for a run, and none for another run of the same model", async () => {
    const job = await startJob();
    await startJob("11111111-2222-4333-8444-555555555555");
    expect((await provider.findJobForRun({ modelId: MODEL_ID, runId: RUN_ID, firstRun: true }))?.id).toBe(job.id);
    expect(await provider.findJobForRun({ modelId: MODEL_ID, runId: "99999999-2222-4333-8444-555555555555", firstRun: false })).toBeNull();
  });

  it("maps a failed job with its reason, a refusal to unavailable, and outages to retryable kinds", async () => {
    sim.failNextJob("The dataset has too few tokens.");
    const job = await startJob();
    clock = START + JOB_MS;
    expect(await provider.getJob(job.id)).toMatchObject({ status: "failed", error: "The dataset has too few tokens." });

    sim.refuseFineTuning();
    expect((await providerError(startJob())).kind).toBe("unavailable");

    sim.inject({ method: "GET", path: /\/v1\/fine-tunes\//, status: 503 });
    const outage = await providerError(provider.getJob(job.id));
    expect([outage.kind, outage.retryable]).toEqual(["server", true]);
    expect((await providerError(provider.getJob("ft-missing"))).kind).toBe("not_found");
    expect((await providerError(startJob(MODEL_ID, 21))).kind).toBe("invalid_request");
  });

  it("cancels a running job (a finished or unknown one is left alone) and deletes job and adapter", async () => {
    const job = await startJob();
    clock = START + JOB_MS * 0.5;
    await provider.cancelJob(job.id);
    expect((await provider.getJob(job.id)).rawStatus).toBe("cancel_requested");
    clock = START + JOB_MS * 0.6;
    expect((await provider.getJob(job.id)).status).toBe("cancelled");
    await expect(provider.cancelJob(job.id)).resolves.toBeUndefined();
    await expect(provider.cancelJob("ft-missing")).resolves.toBeUndefined();

    const trained = await startJob("11111111-2222-4333-8444-555555555555");
    clock += JOB_MS;
    const model = (await provider.getJob(trained.id)).fineTunedModel!;
    await provider.deleteModel(model); // finds the job by its output name
    expect(sim.jobs.has(trained.id)).toBe(false);
    expect((await providerError(togetherChat.completeChat({ model, messages: [{ role: "user", content: "hi" }] }))).kind)
      .toBe("not_found");
    await expect(provider.deleteModel(model, trained.id)).resolves.toBeUndefined();
  });

  it("refuses TOGETHER_CHAT_ENDPOINT, which is not how Together routes: adapters answer on TOGETHER_BASE_URL by name", () => {
    process.env.TOGETHER_CHAT_ENDPOINT = "https://storyvoice-adapters.together.example/v1";
    resetEnv();
    expect(() => provider.baseModels()).toThrow(/TOGETHER_CHAT_ENDPOINT: was removed: set TOGETHER_ENDPOINT_ID/);
  });

  it("is chosen by TRAINING_PROVIDER, with its own base models, limits and prices", () => {
    expect(trainingProvider().name).toBe("together");
    expect(trainingProvider().baseModels().default).toBe(DEFAULT_TOGETHER_BASE_MODEL);
    expect(provider.limits.maxEpochs).toBe(20);
    expect(togetherTrainingPrice("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference")?.usdPerMillionTokens).toBe(0.48);
    expect(togetherTrainingPrice("meta-llama/Meta-Llama-3.1-70B-Instruct-Reference")?.usdPerMillionTokens).toBe(2.9);
    expect(estimateTrainingCost(1_000_000, 2, DEFAULT_TOGETHER_BASE_MODEL, togetherTrainingPrice(DEFAULT_TOGETHER_BASE_MODEL)).estimatedUsd)
      .toBe(0.96);
    delete process.env.TOGETHER_API_KEY;
    resetEnv();
    expect(trainingProvider("together").isAvailable()).toBe(false);
  });
});

describe("the account's active-job limit (simulator)", () => {
  it("a create past it is a 429: a rate_limited ProviderError, the training queue's back-pressure", async () => {
    sim.limitActiveJobs(1);
    try {
      await startJob();
      const error = await providerError(startJob("1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"));
      expect(error.kind).toBe("rate_limited");
      expect(sim.activeJobs).toEqual({ peak: 1, refused: 1 });
    } finally {
      sim.limitActiveJobs(null);
    }
  });
});
