import { describe, expect, it } from "vitest";
import { personaFromRow } from "../../shared/lifecycle/persona-from-row.ts";
import { prepareTraining } from "../../shared/lifecycle/prepare-training.ts";
import { buildFallbackGreeting } from "../../shared/personas/greeting.ts";
import { buildFallbackStarterPrompts } from "../../shared/personas/starter-prompts.ts";
import { buildFallbackStyleGuide } from "../../shared/personas/style-guide.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { readExistingModel, usePrepareTrainingHarness } from "../support/prepare-training-harness.ts";
import { useStackEnvironment } from "../support/stack.ts";

const { sim, insertPendingModel } = usePrepareTrainingHarness();

describe("prepareTraining: fine-tuning not available", () => {
  it.each([403, 400, 404] as const)("a %i refusal from the provider makes the model ready in persona mode", async (status) => {
    sim.refuseFineTuning({ status });
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("persona-mode");

    const row = await readExistingModel(id);
    expect(row.status).toBe("ready");
    // A 403 is the organisation's refusal, said plainly; a 400/404 is this base model's.
    expect(row.error).toMatch(status === 403
      ? /^Fine-tuning at OpenAI is not available to this organisation: /
      : new RegExp(`^Fine-tuning unavailable: starting the fine-tuning job failed \\(${status}`));
    expect(row.error).toContain("self-serve fine-tuning is closed");
    expect(row.openai_job_id).toBeNull();
    expect(row.run.lease_expires_at).toBeNull();
    expect(row.style_description).toMatch(/^You are Maren Hale/); // the persona the fallback chat uses
    expect(sim.jobs.size).toBe(0);
  });

  it("without an API key uses the deterministic style guide and starter prompts and calls no provider", async () => {
    useStackEnvironment({ OPENAI_API_KEY: undefined });
    resetOpenAI();
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("persona-mode");

    const row = await readExistingModel(id);
    const persona = personaFromRow(row);
    expect(row.status).toBe("ready");
    expect(row.style_description).toBe(buildFallbackStyleGuide(persona));
    expect(row.starter_prompts).toEqual(buildFallbackStarterPrompts(persona));
    expect(row.greeting).toBe(buildFallbackGreeting(persona));
    expect(row.error).toMatch(/not available/);
    expect(sim.chatRequests).toHaveLength(0);
    expect(sim.files.size).toBe(0);
    expect(sim.jobs.size).toBe(0);
  });

  it("with FINE_TUNING_ENABLED=false writes the teacher's style guide and stops there", async () => {
    useStackEnvironment({ FINE_TUNING_ENABLED: "false" });
    resetOpenAI();
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("persona-mode");

    const row = await readExistingModel(id);
    expect(row.status).toBe("ready");
    expect(row.style_description).toMatch(/^You are Maren Hale/);
    expect(row.starter_prompts.length).toBeGreaterThanOrEqual(3);
    expect(row.greeting).toEqual(expect.any(String));
    expect(row.greeting).not.toBe(buildFallbackGreeting(personaFromRow(row))); // the teacher wrote it
    expect(row.error).toMatch(/persona mode/);
    expect(sim.chatRequests.length).toBeGreaterThan(0); // the teacher wrote the style guide
    expect(sim.files.size).toBe(0);
    expect(sim.jobs.size).toBe(0);
  });
});
