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

// The plan's quotas on every create path: models per UTC day and trainings in flight, reserved in
// the transaction that writes the model, so a burst cannot slip past and a refusal leaves nothing.

const { createOwner } = useCreateModelHarness();

function quotas(settings: { daily?: number; inFlight?: number }) {
  useStackEnvironment({
    FINE_TUNING_ENABLED: undefined,
    MODEL_CREATE_DAILY_QUOTA: String(settings.daily ?? 1000),
    TRAININGS_IN_FLIGHT_PER_USER: String(settings.inFlight ?? 1000),
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
  it("never exceed the cap, also in a burst; a finished training makes room again", async () => {
    quotas({ daily: 100, inFlight: 2 });
    const carol = await createOwner("in-flight");
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call(createQuick, "fine-tune-quick", { token: carol.token, body: quickBody(i) })),
    );
    expect(answers.filter((answer) => answer.status === 202)).toHaveLength(2);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.json).toMatchObject({ quota: "trainings_in_flight", limit: 2, error: { code: "too_many_requests" } });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const created = answers.filter((answer) => answer.status === 202).map((answer) => answer.json.model.id as string);
    await settleAll(created);
    // A refusal for trainings in flight takes no creation of the day.
    expect(await leftovers(carol.id)).toMatchObject({ models: 2, runs: 2, created: 2 });

    // One training finishes: one more create fits, the next does not.
    await adminSql()`update public.training_runs set status = 'completed', completed_at = now() where model_id = ${created[0]}`;
    expect((await call(createQuick, "fine-tune-quick", { token: carol.token, body: quickBody(20) })).status).toBe(202);
    expect((await call(createQuick, "fine-tune-quick", { token: carol.token, body: quickBody(21) })).status).toBe(429);
    const [{ in_flight }] = await adminSql()<{ in_flight: number }[]>`
      select count(*)::int as in_flight from public.training_runs r join private.fine_tuned_models m on m.id = r.model_id
      where m.created_by = ${carol.id} and r.status in ('pending', 'training')`;
    expect(in_flight).toBe(2);
  });

  it("a retrain past the cap is 429 and starts no run", async () => {
    quotas({ daily: 100, inFlight: 1 });
    const dana = await createOwner("retrain-cap");
    const first = await call(createQuick, "fine-tune-quick", { token: dana.token, body: quickBody(1) });
    const second = await call(createQuick, "fine-tune-quick", { token: dana.token, body: quickBody(2) });
    expect([first.status, second.status]).toEqual([202, 429]);
    await backgroundSettled(first.json.model.id);
    // Let the first model finish, train a second one by hand-made rows, then retrain the first.
    await adminSql()`update public.training_runs set status = 'completed', completed_at = now() where model_id = ${first.json.model.id}`;
    const third = await call(createQuick, "fine-tune-quick", { token: dana.token, body: quickBody(3) });
    expect(third.status).toBe(202);
    await backgroundSettled(third.json.model.id);

    const answer = await call(retrain, `fine-tune-retrain/${first.json.model.id}`, { token: dana.token, body: {} });
    expect(answer.status).toBe(429);
    expect(answer.json.quota).toBe("trainings_in_flight");
    const [{ runs }] = await adminSql()<{ runs: number }[]>`
      select count(*)::int as runs from public.training_runs where model_id = ${first.json.model.id}`;
    expect(runs).toBe(1);
  });
});
