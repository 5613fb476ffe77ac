import { http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { log } from "../../shared/log.ts";
import { personaFromRow } from "../../shared/lifecycle/persona-from-row.ts";
import { prepareTraining } from "../../shared/lifecycle/prepare-training.ts";
import { buildFallbackStyleGuide } from "../../shared/personas/style-guide.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { readExistingModel, usePrepareTrainingHarness } from "../support/prepare-training-harness.ts";
import { adminSql, useStackEnvironment } from "../support/stack.ts";

const { sim, server, insertPendingModel } = usePrepareTrainingHarness();

describe("prepareTraining: transient provider failures", () => {
  it("a 429 on job creation is back-pressure: the run waits at the head of the training queue, no attempt counted", async () => {
    sim.inject({ method: "POST", path: "/v1/fine_tuning/jobs", kind: "status", status: 429 });
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("queued");

    const waiting = await readExistingModel(id);
    expect(waiting.status).toBe("pending");
    expect(waiting.error).toBeNull();
    expect(waiting.run.lease_expires_at).toBeNull();
    expect(waiting.run.attempts).toBe(0);
    expect(waiting.openai_job_id).toBeNull();
    expect(waiting.training_file_id).not.toBeNull(); // kept, so the start uploads nothing
    const [queue] = await adminSql()<{ queued_at: Date | null; slot_taken_at: Date | null; next_check_at: number }[]>`
      select queued_at, slot_taken_at, extract(epoch from next_check_at)::float8 as next_check_at
      from public.training_runs where model_id = ${id}`;
    expect(queue.queued_at).not.toBeNull();
    expect(queue.slot_taken_at).toBeNull();
    // Left to the sync's queue step (which starts heads in order), not to the due-run claim.
    expect(queue.next_check_at).toBe(Infinity);
    expect(sim.jobs.size).toBe(0);

    // What the sync's queue step does: the head starts.
    expect(await prepareTraining(id)).toBe("job-started");
    const started = await readExistingModel(id);
    expect(started.openai_job_id).toBe([...sim.jobs.keys()][0]);
    expect(sim.files.size).toBe(1);
  });

  it.each([500])("a %i on job creation gives the work back for a later retry, which then starts the job", async (status) => {
    sim.inject({ method: "POST", path: "/v1/fine_tuning/jobs", kind: "status", status });
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("retry-later");

    const released = await readExistingModel(id);
    expect(released.status).toBe("pending");
    expect(released.run.lease_expires_at).toBeNull();
    expect(released.run.attempts).toBe(1);
    expect(released.run.next_check_at.getTime()).toBeGreaterThan(released.db_now.getTime());
    expect(released.error).toContain(`(${status}`);
    expect(released.openai_job_id).toBeNull();
    expect(released.training_file_id).not.toBeNull(); // kept, so the retry uploads nothing
    expect(sim.jobs.size).toBe(0);

    // What the training sync does once the row is due again.
    expect(await prepareTraining(id)).toBe("job-started");
    const started = await readExistingModel(id);
    expect(started.openai_job_id).toBe([...sim.jobs.keys()][0]);
    expect(started.run.attempts).toBe(0);
    expect(started.error).toBeNull();
    expect(sim.files.size).toBe(1);
  });

  it("a rate-limited teacher gives the work back before anything is stored", async () => {
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 429 });
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("retry-later");

    const released = await readExistingModel(id);
    expect(released.status).toBe("pending");
    expect(released.run.lease_expires_at).toBeNull();
    expect(released.run.attempts).toBe(1);
    expect(released.run.next_check_at.getTime()).toBeGreaterThan(released.db_now.getTime());
    expect(released.error).toContain("(429");
    expect(released.style_description).toBeNull();
    expect(sim.files.size).toBe(0);

    expect(await prepareTraining(id)).toBe("job-started");
    expect((await readExistingModel(id)).style_description).toMatch(/^You are Maren Hale/);
  });

  it("an upload that hangs past the timeout gives the work back instead of holding the model", async () => {
    useStackEnvironment({ OPENAI_TIMEOUT_MS: "300" });
    resetOpenAI();
    sim.inject({ method: "POST", path: "/v1/files", kind: "timeout", delayMs: 5_000 });
    const id = await insertPendingModel({ style_description: "You are Maren Hale. Stay in character." });

    expect(await prepareTraining(id)).toBe("retry-later");

    const released = await readExistingModel(id);
    expect(released.status).toBe("pending");
    expect(released.run.lease_expires_at).toBeNull();
    expect(released.run.attempts).toBe(1);
    expect(released.error).toBe("uploading the training file timed out");
    expect(released.training_file_id).toBeNull();
    expect(sim.files.size).toBe(0);
  });

  it("fails the model for good once the attempts are used up", async () => {
    sim.inject({ method: "POST", path: "/v1/fine_tuning/jobs", kind: "status", status: 503 });
    const id = await insertPendingModel({ attempts: 4 });

    expect(await prepareTraining(id)).toBe("failed");

    const row = await readExistingModel(id);
    expect(row.status).toBe("failed");
    expect(row.run.attempts).toBe(5);
    expect(row.run.lease_expires_at).toBeNull();
    expect(row.error).toContain("(503");
  });
});

describe("prepareTraining: failures that are not worth retrying", () => {
  it("fails with a clear error when the teacher keeps answering malformed JSON", async () => {
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "malformed", times: 1000 });
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("failed");

    const row = await readExistingModel(id);
    expect(row.status).toBe("failed");
    expect(row.error).toBe(
      "The teacher model gave no usable training examples in 3 attempts (last problem: the response body was not valid JSON).",
    );
    expect(row.run.lease_expires_at).toBeNull();
    // The style guide still fell back to the built-in one, so chat works in persona mode meanwhile.
    expect(row.style_description).toBe(buildFallbackStyleGuide(personaFromRow(row)));
    expect(sim.files.size).toBe(0);
    expect(sim.jobs.size).toBe(0);
  });

  it("fails a row whose base model is not in the allow-list, before spending anything on training", async () => {
    const id = await insertPendingModel({ base_model: "gpt-3.5-turbo-0125" });

    expect(await prepareTraining(id)).toBe("failed");

    const row = await readExistingModel(id);
    expect(row.status).toBe("failed");
    expect(row.error).toBe("Base model gpt-3.5-turbo-0125 is not allowed in this deployment.");
    expect(row.run.lease_expires_at).toBeNull();
    expect(sim.files.size).toBe(0);
    expect(sim.jobs.size).toBe(0);
  });

  it("ignores a model that is no longer pending", async () => {
    const id = await insertPendingModel({ status: "ready", style_description: "You are Maren Hale." });

    expect(await prepareTraining(id)).toBe("not-claimed");

    expect((await readExistingModel(id)).status).toBe("ready");
    expect(sim.chatRequests).toHaveLength(0);
  });
});

describe("prepareTraining: a model its owner deletes mid-way", () => {
  it("stops without a failure logged as one: the delete took the run, and what broke is its doing", async () => {
    const id = await insertPendingModel();
    // The owner deletes the model while the teacher writes its first answer; the simulator then answers.
    server.use(http.post(/\/v1\/chat\/completions$/, async () => {
      await adminSql()`delete from private.fine_tuned_models where id = ${id}`;
    }, { once: true }));
    const warn = vi.spyOn(log, "warn");
    const info = vi.spyOn(log, "info");

    try {
      expect(await prepareTraining(id)).toBe("failed");
      expect(warn.mock.calls.map(([message]) => message)).not.toContain("model preparation failed");
      expect(info).toHaveBeenCalledWith("model deleted while it was being prepared; its creation stops", expect.objectContaining({ modelId: id }));
    } finally {
      warn.mockRestore();
      info.mockRestore();
    }
    expect(await adminSql()`select 1 from public.training_runs where model_id = ${id}`).toHaveLength(0);
    expect(sim.jobs.size).toBe(0);
  });
});
