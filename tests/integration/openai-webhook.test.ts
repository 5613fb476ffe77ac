import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import handler from "../../functions/openai-webhook/handler.ts";
import { resetEnv } from "../../shared/env.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { arrangeJob, type ArrangedJobState, insertTrackedModels } from "../support/training-jobs.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// The webhook handler in-process, with the stack's Postgres and an in-process simulator. Signatures
// are made here the Standard Webhooks way, independently of the SDK that verifies them.
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const SIM_NOW = Date.UTC(2030, 0, 1);
const sim = createOpenAISimulator({ jobDurationMs: 100_000, now: () => SIM_NOW });
const server = setupServer(...sim.handlers);
// Models here are never due for any sync (theirs is the webhook's path only).
const NEVER_DUE = new Date(Date.UTC(2100, 0, 1));
let owner: TestUser;

function signedHeaders(body: string, options: { id?: string; timestamp?: number; secret?: string } = {}) {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const key = Buffer.from((options.secret ?? SECRET).replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${signature}` };
}

function eventBody(type: string, jobId: string): string {
  return JSON.stringify({ id: `evt_${randomUUID()}`, object: "event", type, created_at: Math.floor(Date.now() / 1000), data: { id: jobId } });
}

async function deliver(body: string, headers: Record<string, string>) {
  const response = await handler(new Request("http://localhost/openai-webhook", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  }));
  return { status: response.status, json: await response.json() };
}

async function trackedModel(state: ArrangedJobState) {
  const job = arrangeJob(sim, state, { clock: () => SIM_NOW, durationMs: 100_000 });
  const [id] = await insertTrackedModels(owner.id, [job.id], { dueAt: NEVER_DUE, status: "training" });
  return { job, id };
}

const modelRow = async (id: string) =>
  (await adminSql()`
    select m.status, m.error, m.openai_model_id, r.next_check_at
    from private.fine_tuned_models m join public.training_runs r on r.model_id = m.id
    where m.id = ${id}`)[0];

useSuiteDatabase();
beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  useStackEnvironment({ OPENAI_WEBHOOK_SECRET: SECRET });
  resetOpenAI();
  owner = await createUser("webhook");
});
afterAll(async () => {
  server.close();
});
beforeEach(() => {
  sim.reset();
  server.events.removeAllListeners();
});

describe("openai-webhook", () => {
  it("completes the model of a succeeded job on a correctly signed event", async () => {
    const { job, id } = await trackedModel("succeeded");
    const body = eventBody("fine_tuning.job.succeeded", job.id);
    const { status, json } = await deliver(body, signedHeaders(body));
    expect(status).toBe(200);
    expect(json).toEqual({ success: true, received: true, models: 1, advanced: 1, deferredToSync: false });
    expect(await modelRow(id)).toMatchObject({ status: "completed", openai_model_id: job.schedule.modelName });
  });

  it("fails the model of a failed or cancelled job with the provider's reason", async () => {
    const failed = await trackedModel("failed");
    const cancelled = await trackedModel("cancelled");
    for (const [type, { job }] of [["failed", failed], ["cancelled", cancelled]] as const) {
      const body = eventBody(`fine_tuning.job.${type}`, job.id);
      expect((await deliver(body, signedHeaders(body))).status).toBe(200);
    }
    expect(await modelRow(failed.id)).toMatchObject({ status: "failed", error: "invalid_training_file: Training data was rejected." });
    expect(await modelRow(cancelled.id)).toMatchObject({ status: "failed", error: "The fine-tuning job was cancelled at the provider." });
  });

  it("acts on a redelivered webhook-id once", async () => {
    const { job } = await trackedModel("succeeded");
    let retrieves = 0;
    server.events.on("request:start", ({ request }) => {
      if (request.method === "GET" && request.url.endsWith(`/fine_tuning/jobs/${job.id}`)) retrieves++;
    });
    const body = eventBody("fine_tuning.job.succeeded", job.id);
    const id = `msg_${randomUUID()}`;
    expect((await deliver(body, signedHeaders(body, { id }))).json.advanced).toBe(1);
    // A retry is signed afresh (new timestamp) but keeps its webhook-id.
    const again = await deliver(body, signedHeaders(body, { id, timestamp: Math.floor(Date.now() / 1000) + 1 }));
    expect(again).toEqual({ status: 200, json: { success: true, received: true, duplicate: true } });
    expect(retrieves).toBe(1);
  });

  it("refuses a bad signature, a missing header and a stale timestamp", async () => {
    const { job, id } = await trackedModel("succeeded");
    const body = eventBody("fine_tuning.job.succeeded", job.id);
    const forged = await deliver(body, signedHeaders(body, { secret: `whsec_${randomBytes(32).toString("base64")}` }));
    expect(forged.status).toBe(401);
    expect(forged.json.error.code).toBe("invalid_signature");

    const { "webhook-signature": _, ...unsigned } = signedHeaders(body);
    expect((await deliver(body, unsigned)).status).toBe(401);

    const tampered = signedHeaders(body);
    expect((await deliver(body.replace("succeeded", "cancelled"), tampered)).status).toBe(401);

    const stale = await deliver(body, signedHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 600 }));
    expect(stale.status).toBe(400);
    expect(stale.json.error.code).toBe("stale_webhook");
    expect((await modelRow(id)).status).toBe("training");
  });

  it("answers 400 for a signed body that is not JSON or not an event", async () => {
    const notJson = "{ not json";
    expect((await deliver(notJson, signedHeaders(notJson))).json.error.code).toBe("invalid_json");
    const notEvent = JSON.stringify({ hello: "world" });
    const answer = await deliver(notEvent, signedHeaders(notEvent));
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe("malformed_event");
  });

  it("acknowledges events it does not act on: other types and jobs it does not track", async () => {
    const other = eventBody("batch.completed", "batch_123");
    expect((await deliver(other, signedHeaders(other))).json).toEqual({ success: true, received: true, ignored: true });
    const unknown = eventBody("fine_tuning.job.succeeded", "ftjob-nobody-knows-this-one");
    expect((await deliver(unknown, signedHeaders(unknown))).json).toMatchObject({ models: 0, advanced: 0 });
  });

  it("leaves the model to the scheduled sync when the provider cannot be asked", async () => {
    const { job, id } = await trackedModel("succeeded");
    sim.inject({ method: "GET", path: `/v1/fine_tuning/jobs/${job.id}`, kind: "status", status: 503 });
    const body = eventBody("fine_tuning.job.succeeded", job.id);
    const { status, json } = await deliver(body, signedHeaders(body));
    expect(status).toBe(200);
    expect(json).toMatchObject({ models: 1, advanced: 0, deferredToSync: true });
    const row = await modelRow(id);
    expect(row.status).toBe("training");
    expect(row.next_check_at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("answers 503 while no webhook secret is configured", async () => {
    delete process.env.OPENAI_WEBHOOK_SECRET;
    resetEnv();
    try {
      const body = eventBody("fine_tuning.job.succeeded", "ftjob-x");
      const { status, json } = await deliver(body, signedHeaders(body));
      expect(status).toBe(503);
      expect(json.error).toMatchObject({ code: "webhook_not_configured", retryable: true });
    } finally {
      process.env.OPENAI_WEBHOOK_SECRET = SECRET;
      resetEnv();
    }
  });
});
