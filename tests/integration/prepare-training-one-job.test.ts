import { http } from "msw";
import { describe, expect, it } from "vitest";
import { prepareTraining } from "../../shared/lifecycle/prepare-training.ts";
import { OpenAITrainingProvider } from "../../shared/providers/openai/training.ts";
import {
  readExistingModel,
  readModel,
  startJobAtProvider,
  usePrepareTrainingHarness,
} from "../support/prepare-training-harness.ts";
import { adminSql } from "../support/stack.ts";

const { sim, server, insertPendingModel } = usePrepareTrainingHarness();

describe("prepareTraining: never a second job", () => {
  it("does nothing when run again after the job started", async () => {
    const id = await insertPendingModel();
    expect(await prepareTraining(id)).toBe("job-started");
    const first = await readExistingModel(id);

    expect(await prepareTraining(id)).toBe("not-claimed");

    expect(sim.jobs.size).toBe(1);
    expect(sim.files.size).toBe(1);
    expect((await readExistingModel(id)).openai_job_id).toBe(first.openai_job_id);
  });

  it("lets only one of two simultaneous runs work", async () => {
    const id = await insertPendingModel();

    const outcomes = await Promise.all([prepareTraining(id), prepareTraining(id)]);

    expect(outcomes.sort()).toEqual(["job-started", "not-claimed"]);
    expect(sim.jobs.size).toBe(1);
    expect((await readExistingModel(id)).openai_job_id).toBe([...sim.jobs.keys()][0]);
  });

  it("leaves a model alone while another worker's lease is live", async () => {
    const id = await insertPendingModel({ lease_expires_at: new Date(Date.now() + 60_000).toISOString() });

    expect(await prepareTraining(id)).toBe("not-claimed");

    expect(sim.chatRequests).toHaveLength(0);
    expect(sim.jobs.size).toBe(0);
    expect((await readExistingModel(id)).openai_job_id).toBeNull();
  });

  it("adopts the job a crashed worker started (file stored, job id not) instead of starting another", async () => {
    const id = await insertPendingModel({
      style_description: "You are Maren Hale. Stay in character.",
      lease_expires_at: new Date(Date.now() - 60_000).toISOString(), // the crashed worker's lease ran out
    });
    const { fileId, jobId } = await startJobAtProvider(id);
    await adminSql()`update public.training_runs set provider_file_id = ${fileId} where model_id = ${id}`;

    expect(await prepareTraining(id)).toBe("job-started");

    expect(sim.jobs.size).toBe(1);
    expect(sim.files.size).toBe(1);
    const row = await readExistingModel(id);
    expect(row.openai_job_id).toBe(jobId);
    expect(row.run.lease_expires_at).toBeNull();
  });

  it("starts the job from the stored file without generating or uploading again", async () => {
    const id = await insertPendingModel({ style_description: "You are Maren Hale. Stay in character." });
    const provider = new OpenAITrainingProvider();
    const { jobId, fileId } = await startJobAtProvider(crypto.randomUUID()); // a file that exists at the provider
    await provider.cancelJob(jobId);
    await adminSql()`update public.training_runs set provider_file_id = ${fileId} where model_id = ${id}`;
    const jobsBefore = sim.jobs.size;

    expect(await prepareTraining(id)).toBe("job-started");

    expect(sim.chatRequests).toHaveLength(0); // no teacher call: the examples were already uploaded
    expect(sim.files.size).toBe(1);
    expect(sim.jobs.size).toBe(jobsBefore + 1);
    const row = await readExistingModel(id);
    const job = sim.jobs.get(row.openai_job_id!);
    expect(job?.training_file).toBe(fileId);
    expect(job?.metadata).toEqual({ storyvoice_model_id: id, storyvoice_run_id: row.run.id });
  });
});

describe("prepareTraining: the model is deleted meanwhile", () => {
  it("cancels the job it started for a model that no longer exists", async () => {
    const id = await insertPendingModel();
    // The owner deletes the model while the job is being created.
    server.use(http.post("*/v1/fine_tuning/jobs", async () => {
      await adminSql()`delete from public.fine_tuned_models where id = ${id}`;
      return undefined; // on to the simulator, which creates the job
    }));

    const { id: runId } = (await readExistingModel(id)).run;
    expect(await prepareTraining(id)).toBe("failed");

    expect(await readModel(id)).toBeUndefined();
    expect(sim.jobs.size).toBe(1);
    const [job] = sim.jobs.values();
    expect(job.metadata).toEqual({ storyvoice_model_id: id, storyvoice_run_id: runId });
    expect(job.status).toBe("cancelled");
  });
});
