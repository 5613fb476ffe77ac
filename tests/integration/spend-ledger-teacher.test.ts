import { describe, expect, it } from "vitest";
import { prepareTraining } from "../../shared/lifecycle/prepare-training.ts";
import { readExistingModel, storedExamples, usePrepareTrainingHarness } from "../support/prepare-training-harness.ts";
import { adminSql } from "../support/stack.ts";

// The teacher's spend: every completion the simulator served while a model was prepared is in the
// ledger once, as the owner's `teacher` spend on that persona, also across a failed attempt.

const { sim, insertPendingModel } = usePrepareTrainingHarness();

describe("spend ledger: the teacher", () => {
  it("records every served teacher completion once, for the owner, across a failed attempt and its retry", async () => {
    const id = await insertPendingModel();
    // The first attempt: the style guide's request fails (a 500, no retries here): nothing served.
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 500, times: 1 });
    expect(await prepareTraining(id)).toBe("retry-later");
    await adminSql()`update public.training_runs set lease_expires_at = null where model_id = ${id}`;
    expect(await prepareTraining(id)).toBe("job-started");
    expect((await storedExamples(id)).length).toBeGreaterThanOrEqual(20);

    const served = sim.servedUsage;
    expect(served.length).toBeGreaterThanOrEqual(5); // style guide, prompts, sample, greeting, examples
    const [owner] = await adminSql()<{ created_by: string }[]>`select created_by from private.fine_tuned_models where id = ${id}`;
    const rows = await adminSql()<{ user_id: string; kind: string; billed_model: string; requests: number; input_tokens: string; output_tokens: string; cost_usd: string }[]>`
      select user_id, kind, billed_model, requests, input_tokens, output_tokens, cost_usd
      from private.spend_ledger where model_id = ${id}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: owner.created_by, kind: "teacher", billed_model: served[0].model, requests: served.length });
    expect(Number(rows[0].input_tokens)).toBe(served.reduce((sum, call) => sum + call.promptTokens, 0));
    expect(Number(rows[0].output_tokens)).toBe(served.reduce((sum, call) => sum + call.completionTokens, 0));
    expect(Number(rows[0].cost_usd)).toBeGreaterThan(0);
    expect((await readExistingModel(id)).style_description).toBeTruthy();
  });
});
