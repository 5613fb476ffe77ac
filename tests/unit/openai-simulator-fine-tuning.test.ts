import OpenAI, { APIError, BadRequestError, NotFoundError, PermissionDeniedError, toFile } from "openai";
import { describe, expect, it } from "vitest";
import {
  client,
  createJob,
  JOB_DURATION_MS,
  START_MS,
  trainingJsonl,
  uploadTrainingFile,
  useSimulatorHarness,
} from "../support/openai-simulator-harness.ts";

const { sim, advance, finishedJob } = useSimulatorHarness();

describe("files", () => {
  it("stores a fine-tuning upload and answers the file object", async () => {
    const file = await uploadTrainingFile(10);
    expect(file).toMatchObject({
      object: "file",
      id: expect.stringMatching(/^file-/),
      purpose: "fine-tune",
      filename: "training.jsonl",
      bytes: Buffer.byteLength(trainingJsonl(10)),
      status: "processed",
    });
    expect(sim.files.get(file.id)?.content).toBe(trainingJsonl(10));
    await expect(client.files.retrieve(file.id)).resolves.toMatchObject({ id: file.id, bytes: file.bytes });
  });

  it("deletes a file, after which it is not found", async () => {
    const file = await uploadTrainingFile();
    await expect(client.files.delete(file.id)).resolves.toEqual({ object: "file", id: file.id, deleted: true });
    await expect(client.files.retrieve(file.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each([
    ["a line that is not JSON", "{not json}\n"],
    ["an example without an assistant message", JSON.stringify({ messages: [{ role: "user", content: "hi" }] })],
    ["an example without messages", JSON.stringify({ prompt: "hi", completion: "there" })],
  ])("rejects %s with 400", async (_, content) => {
    const upload = client.files.create({ file: await toFile(Buffer.from(content), "bad.jsonl"), purpose: "fine-tune" });
    await expect(upload).rejects.toMatchObject({ status: 400, param: "file", code: "invalid_file_format" });
  });
});

describe("fine-tuning jobs", () => {
  it("progresses validating_files -> queued -> running -> succeeded over the job duration", async () => {
    const job = await createJob();
    expect(job).toMatchObject({
      object: "fine_tuning.job",
      id: expect.stringMatching(/^ftjob-/),
      status: "validating_files",
      fine_tuned_model: null,
      finished_at: null,
      trained_tokens: null,
      error: null,
      metadata: { storyvoice_model_id: "m-1" },
      hyperparameters: { n_epochs: 3 },
      estimated_finish: null,
    });

    advance(0.1 * JOB_DURATION_MS);
    expect((await client.fineTuning.jobs.retrieve(job.id)).status).toBe("queued");

    advance(0.2 * JOB_DURATION_MS);
    const running = await client.fineTuning.jobs.retrieve(job.id);
    expect(running.status).toBe("running");
    expect(running.estimated_finish).toBe(Math.floor((START_MS + JOB_DURATION_MS) / 1000));

    advance(0.7 * JOB_DURATION_MS);
    const done = await client.fineTuning.jobs.retrieve(job.id);
    expect(done).toMatchObject({
      status: "succeeded",
      fine_tuned_model: expect.stringMatching(/^ft:gpt-4o-mini-2024-07-18:storyvoice-sim:author-jane:[A-Za-z0-9]{8}$/),
      finished_at: Math.floor((START_MS + JOB_DURATION_MS) / 1000),
      estimated_finish: null,
    });
    expect(done.trained_tokens).toBeGreaterThan(0);
  });

  it("keeps recorded state current with the clock, without any request", async () => {
    const job = await createJob();
    advance(JOB_DURATION_MS);
    const recorded = sim.jobs.get(job.id)!;
    expect(recorded.status).toBe("succeeded");
    expect(sim.fineTunedModels.has(recorded.fine_tuned_model!)).toBe(true);
  });

  it("reports step metrics while running", async () => {
    const job = await createJob();
    advance(0.5 * JOB_DURATION_MS);
    const events = await client.fineTuning.jobs.listEvents(job.id, { limit: 50 });
    const metrics = events.data.filter((event) => event.type === "metrics");
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics[0]).toMatchObject({ object: "fine_tuning.job.event", level: "info" });
    // Twelve examples, three epochs; newest first.
    expect(metrics[0].data).toMatchObject({ step: expect.any(Number), total_steps: 36 });
    expect(events.data.at(-1)?.message).toBe(`Created fine-tuning job: ${job.id}`);
  });

  it("lists jobs newest first, filtered by metadata, a page at a time", async () => {
    const first = await createJob({ metadata: { book: "emma" } });
    const second = await createJob({ metadata: { book: "persuasion" } });
    const third = await createJob({ metadata: { book: "emma" } });

    const emma = await client.fineTuning.jobs.list({ metadata: { book: "emma" } });
    expect(emma.data.map((job) => job.id)).toEqual([third.id, first.id]);

    const page = await client.fineTuning.jobs.list({ limit: 2 });
    expect(page.data.map((job) => job.id)).toEqual([third.id, second.id]);
    expect(page.has_more).toBe(true);
    const all: string[] = [];
    for await (const job of client.fineTuning.jobs.list({ limit: 1 })) all.push(job.id);
    expect(all).toEqual([third.id, second.id, first.id]);
  });

  it("cancels a running job, and refuses to cancel it twice", async () => {
    const job = await createJob();
    advance(0.5 * JOB_DURATION_MS);
    await expect(client.fineTuning.jobs.cancel(job.id)).resolves.toMatchObject({ status: "cancelled" });
    advance(JOB_DURATION_MS);
    const later = await client.fineTuning.jobs.retrieve(job.id);
    expect(later).toMatchObject({ status: "cancelled", fine_tuned_model: null });
    await expect(client.fineTuning.jobs.cancel(job.id)).rejects.toBeInstanceOf(BadRequestError);
    const events = await client.fineTuning.jobs.listEvents(job.id);
    expect(events.data[0].message).toBe("Fine-tuning job cancelled");
  });

  it("fails the next job when told to, and only that one", async () => {
    sim.failNextJob({ message: "Simulated training crash." });
    const failed = await finishedJob();
    expect(failed).toMatchObject({
      status: "failed",
      fine_tuned_model: null,
      error: { code: expect.any(String), message: "Simulated training crash.", param: null },
    });
    expect((await finishedJob()).status).toBe("succeeded");
  });

  it("can end the next job cancelled", async () => {
    sim.failNextJob({ status: "cancelled" });
    expect((await finishedJob()).status).toBe("cancelled");
  });

  it("fails a job whose file has fewer than 10 examples during validation", async () => {
    const file = await uploadTrainingFile(5);
    const job = await client.fineTuning.jobs.create({ model: "gpt-4o-mini-2024-07-18", training_file: file.id });
    advance(0.1 * JOB_DURATION_MS);
    await expect(client.fineTuning.jobs.retrieve(job.id)).resolves.toMatchObject({
      status: "failed",
      error: { code: "invalid_training_file", param: "training_file", message: expect.stringContaining("at least 10") },
    });
  });

  it("rejects a job for a file that does not exist", async () => {
    const creation = client.fineTuning.jobs.create({ model: "gpt-4o-mini", training_file: "file-missing" });
    await expect(creation).rejects.toMatchObject({ status: 400, param: "training_file" });
  });

  it("answers 404 for an unknown job", async () => {
    await expect(client.fineTuning.jobs.retrieve("ftjob-unknown")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses every job creation once fine-tuning is closed (403 by default)", async () => {
    sim.refuseFineTuning();
    const error = await createJob().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as APIError).message).toMatch(/fine-tuning/i);
  });

  it("answers an organisation without fine-tuning access 403 training_not_available, others as usual", async () => {
    sim.denyFineTuningAccess("org-refused");
    const refused = new OpenAI({ apiKey: "test", organization: "org-refused", baseURL: "https://api.openai.com/v1", maxRetries: 0 });
    const file = await uploadTrainingFile();
    const error = await refused.fineTuning.jobs.create({ model: "gpt-4o-mini-2024-07-18", training_file: file.id })
      .catch((caught: unknown) => caught) as APIError;
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.error).toEqual({
      message: expect.stringMatching(/does not have access to fine-tuning/),
      type: "invalid_request_error",
      param: null,
      code: "training_not_available",
    });
    await expect(createJob()).resolves.toMatchObject({ object: "fine_tuning.job" }); // the key's own organisation
    sim.denyFineTuningAccess();
    await expect(createJob()).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it("refuses with the status asked for", async () => {
    sim.refuseFineTuning({ status: 404, message: "Not available." });
    await expect(createJob()).rejects.toMatchObject({ status: 404, error: { message: "Not available." } });
  });
});

describe("models", () => {
  it("serves the model a job produced, and deletes it", async () => {
    const modelId = (await finishedJob()).fine_tuned_model!;
    await expect(client.models.retrieve(modelId)).resolves.toMatchObject({ id: modelId, object: "model" });
    await expect(client.models.delete(modelId)).resolves.toEqual({ id: modelId, object: "model", deleted: true });
    expect(sim.fineTunedModels.has(modelId)).toBe(false);
    await expect(client.models.retrieve(modelId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses to delete a fine-tuned model without the Owner role (403), keeping it", async () => {
    const modelId = (await finishedJob()).fine_tuned_model!;
    sim.refuseModelDeletion();
    const error = await client.models.delete(modelId).catch((caught: unknown) => caught) as APIError;
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.error).toMatchObject({ message: expect.stringMatching(/Owner role/), type: "invalid_request_error", param: null });
    expect(sim.fineTunedModels.has(modelId)).toBe(true);
    sim.refuseModelDeletion(false);
    await expect(client.models.delete(modelId)).resolves.toMatchObject({ deleted: true });
  });

  it("answers 404 for an unknown model", async () => {
    await expect(client.models.delete("ft:gpt-4o-mini:other:x:y")).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("the organisation's active-job limit", () => {
  it("answers 429 rate_limit_exceeded past it, as OpenAI does, and records the most jobs ever active", async () => {
    sim.limitActiveJobs(2);
    try {
      await createJob();
      await createJob();
      const refused = await createJob().then(() => null, (error: unknown) => error);
      expect(refused).toBeInstanceOf(APIError);
      expect(refused).toMatchObject({ status: 429, code: "rate_limit_exceeded" });
      expect((refused as APIError).message).toMatch(/maximum number of active fine-tuning jobs \(2\)/);
      expect(sim.activeJobs).toEqual({ peak: 2, refused: 1 });

      // Finished jobs no longer count: room again.
      advance(JOB_DURATION_MS);
      await createJob();
      expect(sim.activeJobs).toEqual({ peak: 2, refused: 1 });
    } finally {
      sim.limitActiveJobs(null);
    }
  });
});
