import { afterEach, describe, expect, it } from "vitest";
import { prepareTraining } from "../../shared/lifecycle/prepare-training.ts";
import { forgetCatalogue } from "../../shared/catalogue/current.ts";
import { readExistingModel, usePrepareTrainingHarness } from "../support/prepare-training-harness.ts";
import { backToTestDay, onDay as onTestDay } from "../support/on-day.ts";

// Job creation reads the model catalogue on the day it runs: no job on a base whose fine-tuning
// has closed or that has shut down, so the model goes to persona mode without asking the provider.

const { sim, insertPendingModel } = usePrepareTrainingHarness();

function onDay(day: string) {
  onTestDay(day);
  forgetCatalogue();
}

afterEach(() => {
  backToTestDay();
  forgetCatalogue();
});

describe("prepareTraining: the catalogue's dates", () => {
  it("on 2027-01-06 (fine-tuning closed) the default base gets no job: persona mode, reason recorded", async () => {
    onDay("2027-01-06");
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("persona-mode");

    const row = await readExistingModel(id);
    expect(row.status).toBe("ready");
    expect(row.error).toBe(
      "Fine-tuning unavailable: No new fine-tune at openai: fine-tuning gpt-4.1-mini-2025-04-14 closed on 2027-01-06.",
    );
    expect(sim.jobs.size).toBe(0);
    expect(sim.files.size).toBe(0);
    // The teacher still wrote the persona's style guide, on a model that is alive that day.
    expect(row.style_description).toMatch(/^You are Maren Hale/);
    expect(new Set(sim.chatRequests.map((request) => request.model))).toEqual(new Set(["gpt-6-luna"]));
  });

  it("on 2027-01-05 the job still starts", async () => {
    onDay("2027-01-05");
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("job-started");
    expect(sim.jobs.size).toBe(1);
  });
});
