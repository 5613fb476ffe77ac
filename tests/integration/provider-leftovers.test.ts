import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import deleteHandler from "../../functions/fine-tune-delete/handler.ts";
import { DEFAULT_FINE_TUNE_BASE_MODEL } from "../../shared/env.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { runTrainingSync } from "../../shared/sync/run-training-sync.ts";
import { createOpenAISimulator, failOnUnhandledRequest } from "../../supabase/local/openai-simulator/simulator.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// A provider that refuses to delete a fine-tune (OpenAI's 403 for a key without the Owner role):
// the persona is deleted all the same, the fine-tune is recorded as left at the provider and listed
// for admins, and the sync asks again (once a day) until the provider deletes it.
const sim = createOpenAISimulator();
const server = setupServer(...sim.handlers);
let alice: TestUser;

useSuiteDatabase();
beforeAll(async () => {
  server.listen({ onUnhandledRequest: failOnUnhandledRequest });
  alice = await createUser("leftovers");
});
afterAll(() => server.close());
beforeEach(async () => {
  sim.reset();
  useStackEnvironment({ FINE_TUNING_ENABLED: undefined });
  resetOpenAI();
  await adminSql()`delete from private.provider_leftovers`;
});

async function deleteModel(id: string) {
  const response = await deleteHandler(new Request(`http://127.0.0.1:54321/functions/v1/fine-tune-delete/${id}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${alice.token}` },
  }));
  return response.status;
}

/** A completed persona whose fine-tune exists at the (simulated) provider. */
async function completedModel() {
  const fineTuned = `ft:${DEFAULT_FINE_TUNE_BASE_MODEL}:storyvoice-sim:sv-left:${crypto.randomUUID().slice(0, 8)}`;
  sim.fineTunedModels.add(fineTuned);
  const id = await insertModel(alice.id, { status: "completed", openai_model_id: fineTuned, openai_job_id: "ftjob-left" });
  return { id, fineTuned };
}

const listed = () =>
  adminSql()<{ provider: string; fine_tuned_model: string; job_id: string | null; former_model_id: string; former_owner: string; reason: string; attempts: number }[]>`
    select provider, fine_tuned_model, job_id, former_model_id, former_owner, reason, attempts
    from analytics.fine_tunes_left_at_providers`;

/** Makes every leftover due for the sync's once-a-day retry. */
const aDayLater = () => adminSql()`update private.provider_leftovers set last_attempt_at = now() - interval '25 hours'`;

describe("a fine-tune the provider refuses to delete", () => {
  it("is recorded and listed with the provider's reason; the persona is deleted all the same", async () => {
    sim.refuseModelDeletion();
    const { id, fineTuned } = await completedModel();

    expect(await deleteModel(id)).toBe(200);

    expect(await adminSql()`select 1 from public.fine_tuned_models where id = ${id}`).toHaveLength(0);
    expect(sim.fineTunedModels.has(fineTuned)).toBe(true);
    expect(await listed()).toEqual([{
      provider: "openai",
      fine_tuned_model: fineTuned,
      job_id: "ftjob-left",
      former_model_id: id,
      former_owner: alice.id,
      reason: expect.stringMatching(/\(403 insufficient_permissions\): You must have the Owner role/),
      attempts: 1,
    }]);

    // The sync lists it, and leaves it alone until a day has passed.
    const report = await runTrainingSync();
    expect(report.leftAtProviders).toMatchObject({ retried: 0, deleted: 0, remaining: 1 });
    expect(report.leftAtProviders.left).toEqual([expect.objectContaining({ provider: "openai", fineTunedModel: fineTuned, formerModelId: id })]);
  });

  it("is retried by the sync once a day: refused again it stays, deleted it is forgotten", async () => {
    sim.refuseModelDeletion();
    const { id, fineTuned } = await completedModel();
    await deleteModel(id);

    await aDayLater();
    expect((await runTrainingSync()).leftAtProviders).toMatchObject({ retried: 1, deleted: 0, remaining: 1 });
    expect((await listed())[0].attempts).toBe(2);
    // Tried just now: the next run does not ask again.
    expect((await runTrainingSync()).leftAtProviders).toMatchObject({ retried: 0, remaining: 1 });

    sim.refuseModelDeletion(false); // an Owner's key, say
    await aDayLater();
    expect((await runTrainingSync()).leftAtProviders).toEqual({ retried: 1, deleted: 1, remaining: 0, left: [] });
    expect(sim.fineTunedModels.has(fineTuned)).toBe(false);
    expect(await listed()).toEqual([]);
  });

  it("is recorded when the deployment has no key to delete it with, and deleted once it has one", async () => {
    const { id, fineTuned } = await completedModel();
    useStackEnvironment({ OPENAI_API_KEY: undefined });
    resetOpenAI();
    expect(await deleteModel(id)).toBe(200);
    expect(await listed()).toEqual([expect.objectContaining({ fine_tuned_model: fineTuned, reason: expect.stringMatching(/no API key/) })]);

    useStackEnvironment();
    resetOpenAI();
    await aDayLater();
    expect((await runTrainingSync()).leftAtProviders).toMatchObject({ retried: 1, deleted: 1, remaining: 0 });
    expect(sim.fineTunedModels.has(fineTuned)).toBe(false);
  });

  it("is never visible to clients", async () => {
    const sql = adminSql();
    const denied = async (role: string) => {
      try {
        await sql.begin(async (tx) => {
          await tx.unsafe(`set local role ${role}`);
          await tx`select * from private.provider_leftovers`;
        });
        return false;
      } catch (error) {
        return /permission denied/.test(String((error as Error).message));
      }
    };
    expect(await denied("authenticated")).toBe(true);
    expect(await denied("anon")).toBe(true);
  });
});
