import { describe, expect, it } from "vitest";
import createQuick from "../../functions/fine-tune-quick/handler.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { backgroundSettled, bookId, call, quick, useCreateModelHarness } from "../support/create-model-harness.ts";
import { adminSql, useStackEnvironment } from "../support/stack.ts";

// What one run may train on, decided before anything is uploaded: the plan's max_examples (the
// reader's own kept first) and MAX_TRAINING_TOKENS (over it even at the minimum: failed, unspent).

const { sim, createOwner, jobsFor } = useCreateModelHarness();

const exchange = (i: number) => ({
  topic: `Own ${i}`,
  messages: [{ role: "user", content: `Question ${i}: what did the sea say?` }, { role: "assistant", content: `Answer ${i}: it said wait.` }],
});

function configure(overrides: Record<string, string>) {
  useStackEnvironment({ FINE_TUNING_ENABLED: undefined, ...overrides });
  resetOpenAI();
}

async function run(modelId: string) {
  const [row] = await adminSql()<{ status: string; error: string | null; provider_file_id: string | null; summary: Record<string, unknown> | null }[]>`
    select status, error, provider_file_id, summary from public.training_runs where model_id = ${modelId}`;
  return row;
}

describe("a run's training budget", () => {
  it("the plan's max_examples: 14 own examples on a plan of 10 train the first 10, the drop recorded", async () => {
    configure({ MAX_TRAINING_EXAMPLES: "10" });
    const reader = await createOwner("budget-examples");
    const own = Array.from({ length: 14 }, (_, i) => exchange(i));
    const { status, json } = await call(createQuick, "fine-tune-quick", { token: reader.token, body: { ...quick, bookId: bookId(), examples: own } });
    expect(status).toBe(202);
    await backgroundSettled(json.model.id);

    const [job] = jobsFor(json.model.id);
    const lines = sim.files.get(job.training_file)!.content.trim().split("\n").map((line) => JSON.parse(line).messages.slice(1));
    expect(lines).toEqual(own.slice(0, 10).map((example) => example.messages));
    expect((await run(json.model.id)).summary).toMatchObject({ examples: 10, droppedExamples: 4 });
    // All 14 stay stored: a plan with more room trains on them later.
    const [{ stored }] = await adminSql()<{ stored: number }[]>`
      select count(*)::int as stored from public.training_examples where model_id = ${json.model.id}`;
    expect(stored).toBe(14);
  });

  it("over MAX_TRAINING_TOKENS even at the minimum: the run fails with the reason, and nothing is uploaded or started", async () => {
    configure({ MAX_TRAINING_TOKENS: "200" });
    const reader = await createOwner("budget-tokens");
    const { status, json } = await call(createQuick, "fine-tune-quick", { token: reader.token, body: { ...quick, bookId: bookId() } });
    expect(status).toBe(202);
    const settled = await backgroundSettled(json.model.id);
    expect(settled.status).toBe("failed");

    const failed = await run(json.model.id);
    expect(failed).toMatchObject({ status: "failed", provider_file_id: null });
    expect(failed.error).toMatch(/^Over MAX_TRAINING_TOKENS: even the 10 shortest examples need about \d+ training tokens/);
    expect(sim.files.size).toBe(0);
    expect(jobsFor(json.model.id)).toHaveLength(0);
    const [model] = await adminSql()<{ error: string | null }[]>`select error from private.fine_tuned_models where id = ${json.model.id}`;
    expect(model.error).toBe(failed.error);
  });
});
