import { describe, expect, it } from "vitest";
import {
  chatRows,
  configure,
  FALLBACK_MODEL,
  modelRow,
  NEVER_DUE,
  send,
  STYLE_GUIDE,
  useChatHarness,
} from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { createUser } from "../support/stack.ts";

const { sim, completedModel, requestedModels } = useChatHarness();

describe("chat: which model answers", () => {
  it.each(["pending", "training", "failed", "ready"])("a %s model answers with the fallback base model", async (status) => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status, next_check_at: NEVER_DUE });

    const { json } = await send(alice, modelId, { message: "Are you there?" });

    expect(json).toMatchObject({ success: true, usingFallback: true });
    expect(requestedModels()).toEqual([FALLBACK_MODEL]);
    expect((await chatRows({ modelId }))[0]).toMatchObject({ used_fallback: true, model_used: FALLBACK_MODEL });
  });

  it("a completed model answers with its own fine-tune, with the same prompt", async () => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);

    const { status, json } = await send(alice, modelId, { message: "Tell me about the engine" });

    expect(status).toBe(200);
    expect(json.usingFallback).toBe(false);
    expect(json.response).toContain("As Ada Byron");
    expect(requestedModels()).toEqual([fineTune]);
    expect((sim.chatRequests[0].messages as { content: string }[])[0].content).toContain(STYLE_GUIDE);
    expect((await chatRows({ modelId }))[0]).toMatchObject({ used_fallback: false, model_used: fineTune });
    expect((await modelRow(modelId)).fine_tuned_model_retired_at).toBeNull();
  });

  it("a retired fine-tune falls back in the same request, is recorded, and is not asked again", async () => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    sim.retireModel(fineTune);

    const first = await send(alice, modelId, { message: "Still there?" });

    expect(first.status).toBe(200);
    expect(first.json.usingFallback).toBe(true);
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
    const model = await modelRow(modelId);
    expect(model.fine_tuned_model_retired_at).toBeInstanceOf(Date);
    expect(model.status).toBe("completed");
    expect(model.error).toMatch(/retired/);
    expect((await chatRows({ modelId }))[0]).toMatchObject({ used_fallback: true, model_used: FALLBACK_MODEL });

    const second = await send(alice, modelId, { message: "And now?", conversationId: first.json.conversationId });

    expect(second.json).toMatchObject({ usingFallback: true, messageOrder: 2 });
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL, FALLBACK_MODEL]);
    // The first retirement time is kept.
    expect((await modelRow(modelId)).fine_tuned_model_retired_at).toEqual(model.fine_tuned_model_retired_at);
  });

  it.each([429, 500, 503])("a %i from the fine-tune is answered by the fallback, and the fine-tune is kept", async (status) => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status, times: 1 });

    const { status: answered, json } = await send(alice, modelId, { message: "Hello?" });

    expect(answered).toBe(200);
    expect(json.usingFallback).toBe(true);
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
    expect((await modelRow(modelId)).fine_tuned_model_retired_at).toBeNull();

    // A passing failure does not retire the fine-tune: the next turn uses it again.
    const next = await send(alice, modelId, { message: "Again", conversationId: json.conversationId });
    expect(next.json.usingFallback).toBe(false);
  });

  it("a fine-tune that times out is answered by the fallback", async () => {
    configure({ OPENAI_TIMEOUT_MS: "300" });
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "timeout", delayMs: 3000, times: 1 });

    const { status, json } = await send(alice, modelId, { message: "Hello?" });

    expect(status).toBe(200);
    expect(json.usingFallback).toBe(true);
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
  });
});
