import { describe, expect, it } from "vitest";
import createAuthor from "../../functions/fine-tune-author/handler.ts";
import createCharacter from "../../functions/fine-tune-character/handler.ts";
import createQuick from "../../functions/fine-tune-quick/handler.ts";
import importCard from "../../functions/fine-tune-card-import/handler.ts";
import retrain from "../../functions/fine-tune-retrain/handler.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { nextUtcMidnight } from "../../shared/lifecycle/quotas.ts";
import {
  author,
  backgroundSettled,
  bookId,
  call,
  character,
  countModels,
  quick,
  useCreateModelHarness,
} from "../support/create-model-harness.ts";
import { adminSql, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";
import { startQueuedRuns } from "../../shared/sync/start-queued-runs.ts";

// The plan's quotas on every create path: models per UTC day and trainings in flight, reserved in
// the transaction that writes the model, so a burst cannot slip past and a refusal leaves nothing.

const { createOwner } = useCreateModelHarness();

function quotas(settings: { daily?: number; inFlight?: number; queued?: number; maxActiveJobs?: number }) {
  useStackEnvironment({
    FINE_TUNING_ENABLED: undefined,
    MODEL_CREATE_DAILY_QUOTA: String(settings.daily ?? 1000),
    TRAININGS_IN_FLIGHT_PER_USER: String(settings.inFlight ?? 1000),
    TRAININGS_QUEUED_PER_USER: settings.queued === undefined ? undefined : String(settings.queued),
    TRAINING_MAX_ACTIVE_JOBS: String(settings.maxActiveJobs ?? 1000),
  });
  resetOpenAI();
}

async function leftovers(ownerId: string) {
  const [row] = await adminSql()<{ models: number; runs: number; examples: number; created: number | null }[]>`
    select (select count(*)::int from private.fine_tuned_models where created_by = ${ownerId}) as models,
           (select count(*)::int from public.training_runs r join private.fine_tuned_models m on m.id = r.model_id
            where m.created_by = ${ownerId}) as runs,
           (select count(*)::int from public.training_examples e join private.fine_tuned_models m on m.id = e.model_id
            where m.created_by = ${ownerId} and e.source = 'user') as examples,
           (select created from private.daily_model_usage
            where user_id = ${ownerId} and day = (now() at time zone 'utc')::date) as created`;
  return row;
}

const quickBody = (index: number, withExamples = false) => ({
  ...quick,
  entityName: `Keeper ${index}`,
  bookId: bookId(),
  ...(withExamples
    ? { examples: [{ messages: [{ role: "user", content: "Why the light?" }, { role: "assistant", content: "For the ships." }] }] }
    : {}),
});

async function settleAll(modelIds: string[]) {
  for (const id of modelIds) await backgroundSettled(id);
}

describe("model creation quota per UTC day", () => {
  it("30 creates in a burst: exactly the quota succeeds, the rest are 429 with resetAt and Retry-After and leave nothing", async () => {
    quotas({ daily: 5, inFlight: 100 });
    const alice = await createOwner("burst");
    const before = nextUtcMidnight().toISOString();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(createQuick, "fine-tune-quick", { token: alice.token, body: quickBody(i, true) })),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(25);

    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.json).toMatchObject({
      success: false,
      error: { code: "too_many_requests", retryable: true, message: expect.stringContaining("Daily model quota of 5") },
      quota: "models_per_day",
      limit: 5,
    });
    expect([before, nextUtcMidnight().toISOString()]).toContain(refused.json.resetAt);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(Math.abs(retryAfter - (Date.parse(refused.json.resetAt) - Date.now()) / 1000)).toBeLessThanOrEqual(5);

    const created = answers.filter((answer) => answer.status === 202).map((answer) => answer.json.model.id as string);
    await settleAll(created);
    // Only the accepted five left rows: models, their runs, their own example each, the counter.
    expect(await leftovers(alice.id)).toEqual({ models: 5, runs: 5, examples: 5, created: 5 });
  });

  it("counts every create path alike (author, character, quick, card import), and a 409 twin costs nothing", async () => {
    quotas({ daily: 4 });
    const bob = await createOwner("paths");
    const book = bookId();
    const card = { spec: "chara_card_v2", spec_version: "2.0", data: { name: "Wren", description: "A ferry pilot." } };
    const first = await Promise.all([
      call(createAuthor, "fine-tune-author", { token: bob.token, body: { ...author, bookId: book } }),
      call(createCharacter, "fine-tune-character", { token: bob.token, body: { ...character, bookId: book } }),
      call(createQuick, "fine-tune-quick", { token: bob.token, body: quickBody(1) }),
    ]);
    expect(first.map((answer) => answer.status)).toEqual([202, 202, 202]);
    // The same author again: 409, and the rollback gives its creation back.
    const twin = await call(createAuthor, "fine-tune-author", { token: bob.token, body: { ...author, bookId: book } });
    expect(twin.status).toBe(409);
    expect((await leftovers(bob.id)).created).toBe(3);

    const fourth = await call(importCard, "fine-tune-card-import", { token: bob.token, body: { card } });
    expect(fourth.status).toBe(202);
    const fifth = await call(importCard, "fine-tune-card-import", { token: bob.token, body: { card: { ...card, data: { ...card.data, name: "Ash" } } } });
    expect(fifth.status).toBe(429);
    expect(fifth.json.quota).toBe("models_per_day");
    await settleAll([...first.map((answer) => answer.json.model.id), fourth.json.model.id]);
    expect(await countModels(bob.id)).toBe(4);
  });

  it("the plan's quota replaces the default: user_plans first, then app_metadata.plan, an unknown plan is free", async () => {
    quotas({ daily: 1 });
    await adminSql()`
      insert into public.plans (id, name, models_per_day, trainings_in_flight)
      values ('quota-test-two', 'Two a day', 2, 50), ('quota-test-three', 'Three a day', 3, 50)
      on conflict (id) do nothing`;
    const viaMetadata = await createOwner("metadata");
    const viaTable = await createOwner("table");
    const unknown = await createOwner("unknown");
    await adminSql()`update auth.users set raw_app_meta_data = '{"plan": "quota-test-two"}' where id = ${viaMetadata.id}`;
    await adminSql()`update auth.users set raw_app_meta_data = '{"plan": "quota-test-two"}' where id = ${viaTable.id}`;
    await adminSql()`insert into private.user_plans (user_id, plan_id) values (${viaTable.id}, 'quota-test-three')`;
    await adminSql()`update auth.users set raw_app_meta_data = '{"plan": "no-such-plan"}' where id = ${unknown.id}`;

    const accepted = async (user: TestUser) => {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await call(createQuick, "fine-tune-quick", { token: user.token, body: quickBody(i) }));
      await settleAll(answers.filter((answer) => answer.status === 202).map((answer) => answer.json.model.id));
      return answers.filter((answer) => answer.status === 202).length;
    };
    expect(await accepted(viaMetadata)).toBe(2);
    expect(await accepted(viaTable)).toBe(3);
    expect(await accepted(unknown)).toBe(1);
  });
});

describe("trainings in flight per user", () => {
  /** Waits until a model's background work has started its job or left its run waiting in the queue. */
  async function startedOrQueued(modelId: string) {
    await waitFor(async () => {
      const [row] = await adminSql()<{ done: boolean }[]>`
        select r.lease_expires_at is null and (r.provider_job_id is not null or r.queued_at is not null) as done
        from public.training_runs r where r.model_id = ${modelId} order by r.created_at desc limit 1`;
      return row?.done || undefined;
    }, { timeoutMs: 15_000, intervalMs: 50, description: `the run of ${modelId} started or queued` });
  }

  async function runsOf(ownerId: string) {
    const [row] = await adminSql()<{ started: number; waiting: number }[]>`
      select count(*) filter (where r.provider_job_id is not null or r.slot_taken_at is not null)::int as started,
             count(*) filter (where r.provider_job_id is null and r.slot_taken_at is null and r.queued_at is not null)::int as waiting
      from public.training_runs r join private.fine_tuned_models m on m.id = r.model_id
      where m.created_by = ${ownerId} and r.status in ('pending', 'training')`;
    return row;
  }

  it("past the cap, creates wait in the queue (never more than the cap started, also in a burst) up to the queued allowance", async () => {
    quotas({ daily: 100, inFlight: 2, queued: 3 });
    const carol = await createOwner("in-flight");
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call(createQuick, "fine-tune-quick", { token: carol.token, body: quickBody(i) })),
    );
    expect(answers.filter((answer) => answer.status === 202)).toHaveLength(5);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.json).toMatchObject({ quota: "trainings_queued", limit: 5, error: { code: "too_many_requests" } });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const created = answers.filter((answer) => answer.status === 202).map((answer) => answer.json.model.id as string);
    for (const id of created) await startedOrQueued(id);
    // A refusal takes no creation of the day; two trainings started, three wait.
    expect(await leftovers(carol.id)).toMatchObject({ models: 5, runs: 5, created: 5 });
    expect(await runsOf(carol.id)).toEqual({ started: 2, waiting: 3 });

    // One training finishes: the queue step starts exactly one waiting run, and never twice.
    const [done] = await adminSql()<{ model_id: string }[]>`
      update public.training_runs r set status = 'completed', completed_at = now()
      where r.id = (select r2.id from public.training_runs r2 where r2.model_id = any(${created}) and r2.provider_job_id is not null limit 1)
      returning r.model_id`;
    expect(done).toBeDefined();
    await startQueuedRuns();
    await startQueuedRuns();
    expect(await runsOf(carol.id)).toEqual({ started: 2, waiting: 2 });
  });

  it("a run held by its owner's cap holds back no other user's run behind it", async () => {
    // Earlier tests' jobs still hold slots: two more than those.
    const [{ active }] = await adminSql()<{ active: number }[]>`
      select count(*)::int as active from public.training_runs
      where status in ('pending', 'training') and (provider_job_id is not null or slot_taken_at is not null)`;
    quotas({ daily: 100, inFlight: 1, maxActiveJobs: active + 2 });
    const erin = await createOwner("held-first");
    const fay = await createOwner("held-behind");
    const started = await call(createQuick, "fine-tune-quick", { token: erin.token, body: quickBody(1) });
    await startedOrQueued(started.json.model.id);
    const held = await call(createQuick, "fine-tune-quick", { token: erin.token, body: quickBody(2) });
    await startedOrQueued(held.json.model.id);
    // One of two provider slots is free, and the only run ahead waits for its own owner.
    const behind = await call(createQuick, "fine-tune-quick", { token: fay.token, body: quickBody(3) });
    await startedOrQueued(behind.json.model.id);
    expect(await runsOf(erin.id)).toEqual({ started: 1, waiting: 1 });
    expect(await runsOf(fay.id)).toEqual({ started: 1, waiting: 0 });
  });

  it("a retrain past the cap and the queued allowance is 429 and starts no run", async () => {
    quotas({ daily: 100, inFlight: 1, queued: 1 });
    const dana = await createOwner("retrain-cap");
    const first = await call(createQuick, "fine-tune-quick", { token: dana.token, body: quickBody(1) });
    const second = await call(createQuick, "fine-tune-quick", { token: dana.token, body: quickBody(2) });
    const refused = await call(createQuick, "fine-tune-quick", { token: dana.token, body: quickBody(3) });
    expect([first.status, second.status, refused.status]).toEqual([202, 202, 429]);
    await startedOrQueued(first.json.model.id);
    await startedOrQueued(second.json.model.id);
    // The first finishes; one more create fits beside the waiting second, then the retrain does not.
    await adminSql()`update public.training_runs set status = 'completed', completed_at = now() where model_id = ${first.json.model.id}`;
    const third = await call(createQuick, "fine-tune-quick", { token: dana.token, body: quickBody(4) });
    expect(third.status).toBe(202);
    await startedOrQueued(third.json.model.id);

    const answer = await call(retrain, `fine-tune-retrain/${first.json.model.id}`, { token: dana.token, body: {} });
    expect(answer.status).toBe(429);
    expect(answer.json.quota).toBe("trainings_queued");
    const [{ runs }] = await adminSql()<{ runs: number }[]>`
      select count(*)::int as runs from public.training_runs where model_id = ${first.json.model.id}`;
    expect(runs).toBe(1);
  });
});
