import { describe, expect, it } from "vitest";
import { prepareTraining } from "../../shared/lifecycle/prepare-training.ts";
import { nextTrainingProvider } from "../../shared/providers/registry.ts";
import { readExistingModel, usePrepareTrainingHarness } from "../support/prepare-training-harness.ts";
import { adminSql, useStackEnvironment } from "../support/stack.ts";

// A run whose provider refuses to start the job tries the next provider of TRAINING_PROVIDERS before
// persona mode, and keeps each move with its reason. This build has one training provider, so the
// first provider here is one it does not have (as after a provider is removed), which refuses too.

const { sim, insertPendingModel } = usePrepareTrainingHarness();
const GONE = "retired-provider";

async function runOf(modelId: string) {
  const [run] = await adminSql()<{ provider: string; provider_moves: { from: string; to: string; reason: string; at: string }[]; provider_job_id: string | null }[]>`
    select provider, provider_moves, provider_job_id from public.training_runs where model_id = ${modelId}`;
  return run;
}

describe("prepareTraining: the next training provider", () => {
  it("a refusing provider hands the run to the next one, which trains it; the move is recorded", async () => {
    useStackEnvironment({ TRAINING_PROVIDERS: `${GONE},openai` });
    const id = await insertPendingModel();
    await adminSql()`update public.training_runs set provider = ${GONE} where model_id = ${id}`;

    expect(await prepareTraining(id)).toBe("job-started");

    const run = await runOf(id);
    expect(run.provider).toBe("openai");
    expect(run.provider_moves).toEqual([
      { from: GONE, to: "openai", reason: `${GONE} is not a training provider of this deployment`, at: expect.any(String) },
    ]);
    expect(sim.jobs.size).toBe(1);
    expect(run.provider_job_id).toBe([...sim.jobs.keys()][0]);
    expect((await readExistingModel(id)).status).toBe("pending");
  });

  it("when the last provider refuses too, the model is ready in persona mode with the last reason", async () => {
    useStackEnvironment({ TRAINING_PROVIDERS: `${GONE},openai` });
    sim.refuseFineTuning({ status: 403 });
    const id = await insertPendingModel();
    await adminSql()`update public.training_runs set provider = ${GONE} where model_id = ${id}`;

    expect(await prepareTraining(id)).toBe("persona-mode");

    const row = await readExistingModel(id);
    expect(row.status).toBe("ready");
    expect(row.error).toMatch(/^Fine-tuning at OpenAI is not available to this organisation/);
    expect((await runOf(id)).provider_moves.map((move) => move.to)).toEqual(["openai"]);
  });

  it("with only the one provider (the default), a refusal goes straight to persona mode", async () => {
    useStackEnvironment({ TRAINING_PROVIDERS: undefined });
    sim.refuseFineTuning({ status: 403 });
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("persona-mode");
    expect((await runOf(id)).provider_moves).toEqual([]);
  });

  it("skips names this build does not know and providers already tried", () => {
    useStackEnvironment({ TRAINING_PROVIDERS: `openai,${GONE}` });
    expect(nextTrainingProvider("openai", new Set(["openai"]))).toBeNull();
    useStackEnvironment({ TRAINING_PROVIDERS: `${GONE},openai` });
    expect(nextTrainingProvider(GONE, new Set([GONE]))?.name).toBe("openai");
    expect(nextTrainingProvider(GONE, new Set([GONE, "openai"]))).toBeNull();
  });
});
