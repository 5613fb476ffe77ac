import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import deleteHandler from "../../functions/fine-tune-delete/handler.ts";
import { DEFAULT_FINE_TUNE_BASE_MODEL } from "../../shared/env.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { OpenAITrainingProvider } from "../../shared/providers/openai/training.ts";
import { signLocalToken } from "../../supabase/local/dev-keys.ts";
import { createOpenAISimulator, failOnUnhandledRequest } from "../../supabase/local/openai-simulator/simulator.ts";
import { insertModel } from "../support/models.ts";
import { waitFor } from "../support/wait.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// fine-tune-delete in-process on the stack's real database, with this file's own OpenAI simulator
// standing in for the provider whose jobs and models the delete cleans up.
let offsetMs = 0;
const sim = createOpenAISimulator({ jobDurationMs: 60_000, now: () => Date.now() + offsetMs });
const server = setupServer(...sim.handlers);

let alice: TestUser;
let bob: TestUser;

async function callDelete(path: string, token?: string, method = "DELETE") {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await deleteHandler(
    new Request(`http://127.0.0.1:54321/functions/v1/fine-tune-delete/${path}`, { method, headers }),
  );
  return { status: response.status, headers: response.headers, json: await response.json() as any };
}

async function modelExists(id: string): Promise<boolean> {
  const [row] = await adminSql()`select 1 from public.fine_tuned_models where id = ${id}`;
  return row !== undefined;
}

async function chatCount(modelId: string): Promise<number> {
  const [{ count }] = await adminSql()<{ count: number }[]>`
    select count(*)::int as count from public.fine_tuned_chats where model_id = ${modelId}`;
  return count;
}

async function insertChat(modelId: string, userId: string, conversationId: string, message: string) {
  await adminSql()`
    insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response)
    values (${modelId}, ${userId}, ${conversationId}, ${message}, ${"The light went dark because I chose her."})`;
}

/** A job running at the provider for `modelId`, as the creation work would have started it. */
async function startProviderJob(modelId: string): Promise<string> {
  const provider = new OpenAITrainingProvider();
  const jsonl = Array.from({ length: 10 }, (_, index) =>
    JSON.stringify({
      messages: [
        { role: "system", content: "You are Tomas Corran, keeper of the Wrack Point light." },
        { role: "user", content: `Question ${index}: what happened that night?` },
        { role: "assistant", content: `Answer ${index}: the lamp was lit until the very last hour.` },
      ],
    })).join("\n") + "\n";
  const { fileId } = await provider.uploadTrainingFile(jsonl, "keeper.jsonl");
  const job = await provider.createJob({ modelId, trainingFileId: fileId, baseModel: DEFAULT_FINE_TUNE_BASE_MODEL, epochs: 2 });
  return job.id;
}

useSuiteDatabase();
beforeAll(async () => {
  server.listen({ onUnhandledRequest: failOnUnhandledRequest });
  alice = await createUser("delete-alice");
  bob = await createUser("delete-bob");
});
beforeEach(() => {
  offsetMs = 0;
  sim.reset();
  useStackEnvironment({ FINE_TUNING_ENABLED: undefined });
  resetOpenAI();
});
afterEach(() => server.resetHandlers());
afterAll(async () => {
  server.close();
});

describe("fine-tune-delete: the owner", () => {
  it("deletes the model and every chat with it, its own and other readers'", async () => {
    const id = await insertModel(alice.id, { is_public: true });
    const other = await insertModel(alice.id);
    const conversation = crypto.randomUUID();
    await insertChat(id, alice.id, conversation, "Why did the light go dark?");
    await insertChat(id, alice.id, conversation, "And did you regret it?");
    await insertChat(id, bob.id, crypto.randomUUID(), "Were you afraid of the sea?");
    await insertChat(other, alice.id, crypto.randomUUID(), "A question for another model.");
    expect(await chatCount(id)).toBe(3);

    const { status, json } = await callDelete(id, alice.token);

    expect(status).toBe(200);
    expect(json).toEqual({ success: true, message: "Model deleted." });
    expect(await modelExists(id)).toBe(false);
    expect(await chatCount(id)).toBe(0);
    // Only that model went.
    expect(await modelExists(other)).toBe(true);
    expect(await chatCount(other)).toBe(1);
  });

  it("answers 404 for a model already deleted", async () => {
    const id = await insertModel(alice.id);
    expect((await callDelete(id, alice.token)).status).toBe(200);

    const again = await callDelete(id, alice.token);

    expect(again.status).toBe(404);
    expect(again.json).toEqual({ success: false, error: { code: "not_found", message: "No such model." } });
  });

  it("cancels the provider job of a model in training", async () => {
    const id = await insertModel(alice.id, { status: "training" });
    const jobId = await startProviderJob(id);
    await adminSql()`update public.training_runs set provider_job_id = ${jobId} where model_id = ${id}`;
    expect(sim.jobs.get(jobId)?.status).not.toBe("cancelled");

    const { status } = await callDelete(id, alice.token);

    expect(status).toBe(200);
    expect(sim.jobs.get(jobId)?.status).toBe("cancelled");
    expect(await modelExists(id)).toBe(false);
  });

  it("cancels the provider job of a pending model whose job was already started", async () => {
    const id = await insertModel(alice.id, { status: "pending" });
    const jobId = await startProviderJob(id);
    await adminSql()`update public.training_runs set provider_job_id = ${jobId} where model_id = ${id}`;

    expect((await callDelete(id, alice.token)).status).toBe(200);

    expect(sim.jobs.get(jobId)?.status).toBe("cancelled");
  });

  it("deletes the provider's fine-tuned model of a completed model", async () => {
    const fineTuned = `ft:${DEFAULT_FINE_TUNE_BASE_MODEL}:storyvoice-sim:sv-keeper:${crypto.randomUUID().slice(0, 8)}`;
    sim.fineTunedModels.add(fineTuned);
    const keep = `ft:${DEFAULT_FINE_TUNE_BASE_MODEL}:storyvoice-sim:sv-other:${crypto.randomUUID().slice(0, 8)}`;
    sim.fineTunedModels.add(keep);
    const id = await insertModel(alice.id, { status: "completed", openai_model_id: fineTuned, openai_job_id: "ftjob-done" });

    const { status } = await callDelete(id, alice.token);

    expect(status).toBe(200);
    expect(sim.fineTunedModels.has(fineTuned)).toBe(false);
    expect(sim.fineTunedModels.has(keep)).toBe(true);
    expect(await modelExists(id)).toBe(false);
  });

  it("deletes the fine-tuned model of a job that succeeded since the last sync", async () => {
    const id = await insertModel(alice.id, { status: "training" });
    const jobId = await startProviderJob(id);
    await adminSql()`update public.training_runs set provider_job_id = ${jobId} where model_id = ${id}`;
    offsetMs = 61_000; // succeeded at the provider; the sync has not seen it yet
    const fineTuned = sim.jobs.get(jobId)!.fine_tuned_model!;
    expect((await callDelete(id, alice.token)).status).toBe(200);
    expect(await modelExists(id)).toBe(false);
    expect(sim.fineTunedModels.has(fineTuned)).toBe(false);
  });

  it("still deletes the model when the provider fails to cancel or delete", async () => {
    const fineTuned = `ft:${DEFAULT_FINE_TUNE_BASE_MODEL}:storyvoice-sim:sv-fail:${crypto.randomUUID().slice(0, 8)}`;
    sim.fineTunedModels.add(fineTuned);
    const id = await insertModel(alice.id, { status: "completed", openai_model_id: fineTuned });
    sim.inject({ method: "DELETE", path: /^\/v1\/models\//, kind: "status", status: 500 });

    const { status } = await callDelete(id, alice.token);

    expect(status).toBe(200);
    expect(await modelExists(id)).toBe(false);
    expect(sim.fineTunedModels.has(fineTuned)).toBe(true); // the provider kept it; logged, not blocking
  });

  it("waits for a run's write under way instead of deadlocking with it (the creation work's order: run, then model)", async () => {
    const id = await insertModel(alice.id, { status: "pending" });
    const { deleting } = await adminSql().begin(async (writer) => {
      // The creation work writing the run: it holds the run row...
      const [{ pid }] = await writer<{ pid: number }[]>`
        select pg_backend_pid() as pid from public.training_runs where model_id = ${id} for update`;
      const deleting = callDelete(id, alice.token);
      await waitFor(async () => {
        const [{ blocked }] = await adminSql()<{ blocked: boolean }[]>`
          select exists (select 1 from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid))) as blocked`;
        return blocked;
      }, { description: "the delete to wait for the run" });
      // ...and then, through its trigger, the model row. Had the delete taken the model first,
      // this would wait for it: a deadlock, and after a second one of the two fails (40P01).
      await writer`update public.training_runs set error = 'written meanwhile' where model_id = ${id}`;
      // Wrapped: a promise returned bare would be awaited before the commit it waits for.
      return { deleting };
    });

    const { status, json } = await deleting;

    expect({ status, json }).toEqual({ status: 200, json: { success: true, message: "Model deleted." } });
    expect(await modelExists(id)).toBe(false);
  });

  it("deletes a model without calling the provider when there is no API key", async () => {
    useStackEnvironment({ OPENAI_API_KEY: undefined });
    resetOpenAI();
    const id = await insertModel(alice.id, { status: "training", openai_job_id: "ftjob-unreachable" });
    const providerRequests: string[] = [];
    const record = ({ request }: { request: Request }) => providerRequests.push(`${request.method} ${request.url}`);
    server.events.on("request:start", record);

    const { status } = await callDelete(id, alice.token).finally(() => server.events.removeListener("request:start", record));

    expect(status).toBe(200);
    expect(await modelExists(id)).toBe(false);
    expect(providerRequests).toEqual([]);
  });
});

describe("fine-tune-delete: anyone else", () => {
  it.each([false, true])("another user gets 404 for a model (public: %s) and it stays, chats and all", async (isPublic) => {
    const id = await insertModel(alice.id, { is_public: isPublic, status: "training" });
    const jobId = await startProviderJob(id);
    await adminSql()`update public.training_runs set provider_job_id = ${jobId} where model_id = ${id}`;
    await insertChat(id, alice.id, crypto.randomUUID(), "Why did the light go dark?");

    const { status, json } = await callDelete(id, bob.token);

    expect(status).toBe(404);
    expect(json).toEqual({ success: false, error: { code: "not_found", message: "No such model." } });
    expect(await modelExists(id)).toBe(true);
    expect(await chatCount(id)).toBe(1);
    expect(sim.jobs.get(jobId)?.status).not.toBe("cancelled");
  });

  it("no token: 401; an anon token: 403; the model stays", async () => {
    const id = await insertModel(alice.id, { is_public: true });

    const missing = await callDelete(id);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe("Bearer");
    expect(missing.json.error.code).toBe("unauthorized");

    const anon = await signLocalToken({ sub: alice.id, role: "anon" });
    expect((await callDelete(id, anon)).status).toBe(403);

    const [header, payload] = alice.token.split(".");
    expect((await callDelete(id, `${header}.${payload}.${"A".repeat(43)}`)).status).toBe(401);

    expect(await modelExists(id)).toBe(true);
  });
});

describe("fine-tune-delete: bad requests", () => {
  it("an unknown id: 404", async () => {
    const { status, json } = await callDelete(crypto.randomUUID(), alice.token);
    expect(status).toBe(404);
    expect(json.error.code).toBe("not_found");
  });

  it("a malformed id: 400 with the issue path; no id: 400", async () => {
    const malformed = await callDelete("not-a-uuid", alice.token);
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe("validation_failed");
    expect(malformed.json.error.details).toEqual([{ path: ["modelId"], message: "modelId must be a UUID" }]);

    const missing = await callDelete("", alice.token);
    expect(missing.status).toBe(400);
    expect(missing.json.error.details[0].path).toEqual(["modelId"]);
  });

  it("extra path segments: 404; other methods: 405 with Allow", async () => {
    const id = await insertModel(alice.id);
    expect((await callDelete(`${id}/chats`, alice.token)).status).toBe(404);

    for (const method of ["GET", "POST"]) {
      const { status, headers } = await callDelete(id, alice.token, method);
      expect(status).toBe(405);
      expect(headers.get("allow")).toBe("DELETE, OPTIONS");
    }
    expect(await modelExists(id)).toBe(true);
  });
});
