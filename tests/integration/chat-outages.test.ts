import { createServer } from "node:net";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { closeDatabase } from "../../shared/db/client.ts";
import { CHAT_URL, chatRows, configure, FALLBACK_MODEL, modelRow, send, useChatHarness } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { createUser } from "../support/stack.ts";

const { sim, server, completedModel, requestedModels } = useChatHarness();

describe("chat: the provider down", () => {
  async function expectNothingStored(modelId: string) {
    expect(await chatRows({ modelId })).toEqual([]);
    expect((await modelRow(modelId)).chat_count).toBe(0);
  }

  it("500 from the fine-tune and the fallback: 502 retryable, fallback tried once, nothing stored", async () => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 500, times: 5 });

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(502);
    expect(json).toEqual({
      success: false,
      error: { code: "provider_error", message: expect.any(String), retryable: true },
    });
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
    await expectNothingStored(modelId);
  });

  it("500 from the fallback of a model in persona mode: 502, asked once", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 500, times: 5 });

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(502);
    expect(json.error).toMatchObject({ code: "provider_error", retryable: true });
    expect(requestedModels()).toEqual([FALLBACK_MODEL]);
    await expectNothingStored(modelId);
  });

  it("a retired fine-tune whose fallback fails too: 502, and the fine-tune is not marked retired", async () => {
    // A 404 for every model is a misconfigured endpoint, not a retirement: nothing may be recorded.
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    server.use(http.post(CHAT_URL, async ({ request }) => {
      const { model } = await request.clone().json() as { model: string };
      sim.chatRequests.push({ model });
      return model === fineTune
        ? HttpResponse.json({ error: { message: "The model does not exist", type: "invalid_request_error", code: "model_not_found" } }, { status: 404 })
        : HttpResponse.json({ error: { message: "The server had an error", type: "server_error" } }, { status: 500 });
    }));

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(502);
    expect(json.error).toMatchObject({ code: "provider_error", retryable: true });
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
    expect((await modelRow(modelId)).fine_tuned_model_retired_at).toBeNull();
    await expectNothingStored(modelId);
  });

  it("429 from both: 503 provider_unavailable, retryable, nothing stored", async () => {
    const alice = await createUser("alice");
    const { id: modelId } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 429, times: 5 });

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(503);
    expect(json.error).toMatchObject({ code: "provider_unavailable", retryable: true });
    expect(sim.chatRequests).toHaveLength(2);
    await expectNothingStored(modelId);
  });

  it("timeouts from both: 503 provider_unavailable, nothing stored", async () => {
    configure({ OPENAI_TIMEOUT_MS: "300" });
    const alice = await createUser("alice");
    const { id: modelId } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "timeout", delayMs: 3000, times: 5 });

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(503);
    expect(json.error).toMatchObject({ code: "provider_unavailable", retryable: true });
    expect(sim.chatRequests).toHaveLength(2);
    await expectNothingStored(modelId);
  });

  it("the error body reveals nothing of the provider's own message", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    server.use(http.post(CHAT_URL, () =>
      HttpResponse.json({ error: { message: "internal shard db-7 exploded at 10.0.0.3", type: "server_error" } }, { status: 500 })));

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(502);
    expect(JSON.stringify(json)).not.toContain("shard");
  });
});

describe("chat: database unreachable", () => {
  async function closedPort(): Promise<number> {
    return await new Promise((resolve, reject) => {
      const probe = createServer();
      probe.once("error", reject);
      probe.listen(0, "127.0.0.1", () => {
        const address = probe.address();
        const port = typeof address === "object" && address ? address.port : 0;
        probe.close(() => resolve(port));
      });
    });
  }

  it("answers 503 database_unavailable, retryable, without asking the provider", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    await closeDatabase();
    configure({ SUPABASE_DB_URL: `postgresql://postgres:postgres@127.0.0.1:${await closedPort()}/postgres` });
    try {
      const { status, json } = await send(alice, modelId, { message: "Hello?" });

      expect(status).toBe(503);
      expect(json).toEqual({
        success: false,
        error: { code: "database_unavailable", message: expect.any(String), retryable: true },
      });
      expect(sim.chatRequests).toHaveLength(0);
    } finally {
      await closeDatabase();
      configure();
    }
    expect(await chatRows({ modelId })).toEqual([]);
  });
});
