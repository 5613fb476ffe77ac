import { describe, expect, it } from "vitest";
import { DEFAULT_FINE_TUNE_BASE_MODEL } from "../../shared/env.ts";
import { prepareTraining } from "../../shared/lifecycle/prepare-training.ts";
import { AUTHOR_TOPICS, CHARACTER_TOPICS } from "../../shared/personas/topics.ts";
import { readExistingModel, storedExamples, usePrepareTrainingHarness } from "../support/prepare-training-harness.ts";

const { sim, insertPendingModel, uploadedConversations } = usePrepareTrainingHarness();

describe("prepareTraining: a full author model", () => {
  it("writes the style guide and starter prompts, uploads 20-30 examples and starts one job tagged with the model and run ids", async () => {
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("job-started");

    const row = await readExistingModel(id);
    expect(sim.jobs.size).toBe(1);
    const [job] = sim.jobs.values();
    expect(row.openai_job_id).toBe(job.id);
    expect(job.metadata).toEqual({ storyvoice_model_id: id, storyvoice_run_id: row.run.id });
    expect(job.model).toBe(DEFAULT_FINE_TUNE_BASE_MODEL);
    expect(job.hyperparameters.n_epochs).toBe(3);
    expect(row.status).toBe("pending"); // the job is still validating its file
    expect(row.run.lease_expires_at).toBeNull();
    expect(row.error).toBeNull();

    expect(row.style_description).toMatch(/^You are Maren Hale, the author of "The Lighthouse at Wrack Point"/);
    expect(row.starter_prompts.length).toBeGreaterThanOrEqual(3);
    expect(row.starter_prompts.length).toBeLessThanOrEqual(5);
    for (const prompt of row.starter_prompts) expect(prompt.trim().length).toBeGreaterThanOrEqual(8);

    expect(row.training_file_id).toBe(job.training_file);
    const conversations = uploadedConversations(row.training_file_id!);
    expect(conversations.length).toBeGreaterThanOrEqual(20);
    expect(conversations.length).toBeLessThanOrEqual(30);
    for (const { messages } of conversations) {
      expect(messages.map((message) => message.role)).toEqual(["system", "user", "assistant"]);
      expect(messages[0].content).toBe(row.style_description);
      expect(messages[2].content.length).toBeGreaterThan(0);
    }
    const questions = conversations.map(({ messages }) => messages[1].content.toLowerCase());
    expect(new Set(questions).size).toBe(questions.length);

    expect(row.run.summary).toMatchObject({
      examples: conversations.length,
      epochs: 3,
      quick: false,
      baseModel: DEFAULT_FINE_TUNE_BASE_MODEL,
    });
    expect([...(row.run.summary!.topics as string[])].sort()).toEqual(AUTHOR_TOPICS.map((topic) => topic.id).sort());
    expect(row.training_tokens).toBeGreaterThan(0);
    expect(Number(row.estimated_cost_usd)).toBeGreaterThan(0);
    // The model shows the run as the seed's one sentence.
    expect(row.training_data_summary).toBe(
      `${conversations.length} examples on ${AUTHOR_TOPICS.length} topics, 3 epochs, base ${DEFAULT_FINE_TUNE_BASE_MODEL}, ` +
        `about ${(Math.round(row.training_tokens! / 100) * 100).toLocaleString("en-US")} training tokens`,
    );
    expect(row.run).toMatchObject({ provider_file_id: job.training_file, base_model: DEFAULT_FINE_TUNE_BASE_MODEL });

    // The examples are ours to keep, in the order of the training file.
    const stored = await storedExamples(id);
    expect(stored.map((example) => example.messages)).toEqual(
      conversations.map(({ messages }) => messages.slice(1).map(({ role, content }) => ({ role, content }))),
    );
    expect(new Set(stored.map((example) => example.source))).toEqual(new Set(["generated"]));
    expect(stored.map((example) => example.position)).toEqual(stored.map((_, index) => index));

    // A passage in the persona's voice for the model card, 80-200 words or so.
    const words = row.sample_text!.split(/\s+/).length;
    expect(words).toBeGreaterThanOrEqual(60);
    expect(words).toBeLessThanOrEqual(220);
  });
});

describe("prepareTraining: a quick character model", () => {
  it("uploads 10-12 examples and asks for fewer epochs than a full model", async () => {
    const id = await insertPendingModel({
      type: "character",
      entity_name: "Isla Corran",
      description: "The keeper's daughter, seventeen, who rows out alone the morning after the wreck.",
      quick_tune: true,
    });

    expect(await prepareTraining(id)).toBe("job-started");

    const row = await readExistingModel(id);
    const [job] = sim.jobs.values();
    expect(sim.jobs.size).toBe(1);
    expect(row.openai_job_id).toBe(job.id);
    expect(job.metadata).toEqual({ storyvoice_model_id: id, storyvoice_run_id: row.run.id });
    expect(job.hyperparameters.n_epochs).toBe(2);
    const conversations = uploadedConversations(row.training_file_id!);
    expect(conversations.length).toBeGreaterThanOrEqual(10);
    expect(conversations.length).toBeLessThanOrEqual(12);
    expect(row.run.summary).toMatchObject({ examples: conversations.length, epochs: 2, quick: true });
    expect([...(row.run.summary!.topics as string[])].sort()).toEqual(
      CHARACTER_TOPICS.map((topic) => topic.id).sort(),
    );
    expect(row.style_description).toMatch(/^You are Isla Corran, from "The Lighthouse at Wrack Point" by Maren Hale/);
  });
});
