import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import {
  CHAT_URL,
  chatRequest,
  chatRows,
  FALLBACK_MODEL,
  modelRow,
  send,
  STYLE_GUIDE,
  useChatHarness,
} from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { joinedDeltas, readEventStream } from "../support/sse.ts";
import { createUser, type TestUser } from "../support/stack.ts";

const { sim, server, completedModel, requestedModels } = useChatHarness();

/** OpenAI's chat.completion.chunk framing, for handlers that stream differently from the simulator. */
function completionChunk(delta: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return `data: ${JSON.stringify({
    id: "chatcmpl-test",
    object: "chat.completion.chunk",
    created: 1_780_000_000,
    model: FALLBACK_MODEL,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
    ...extra,
  })}\n\n`;
}

describe("chat: streaming", () => {
  async function streamTurn(user: TestUser, modelId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await chat(chatRequest(user, modelId, body, headers));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    return await readEventStream(response);
  }

  it("sends deltas that join to the stored answer, then done with the totals", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready", entity_name: "Ada Byron", style_description: STYLE_GUIDE });

    const events = await streamTurn(alice, modelId, { message: "Tell me a long story about the engine", stream: true });

    const deltas = events.filter((event) => event.event === "delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.at(-1)?.event).toBe("done");
    expect(events.map((event) => event.event).filter((name) => name !== "delta")).toEqual(["done"]);
    const done = events.at(-1)!.data;
    expect(done).toEqual({
      conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tokensUsed: expect.any(Number),
      usingFallback: true,
      chatId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      messageOrder: 1,
      // No book text for this persona: nothing to cite.
      citations: [],
      // No pinned memories and no reader persona.
      memoriesUsed: [],
      readerPersonaId: null,
    });

    const [row] = await chatRows({ conversationId: done.conversationId });
    // The exchange's id comes with done: the reply can be rated without reading the list.
    expect(row.id).toBe(done.chatId);
    expect(joinedDeltas(events)).toBe(row.ai_response);
    expect(row.ai_response).toContain("As Ada Byron");
    expect(row).toMatchObject({ tokens_used: done.tokensUsed, used_fallback: true, model_used: FALLBACK_MODEL });
    expect(sim.chatRequests[0]).toMatchObject({ stream: true, model: FALLBACK_MODEL });
    expect((await modelRow(modelId)).chat_count).toBe(1);
  });

  it("Accept: text/event-stream streams too; a completed model streams from its fine-tune", async () => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);

    const events = await streamTurn(alice, modelId, { message: "Hello" }, { Accept: "text/event-stream" });

    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data.usingFallback).toBe(false);
    expect(requestedModels()).toEqual([fineTune]);
    expect((await chatRows({ modelId }))[0]).toMatchObject({ model_used: fineTune, ai_response: joinedDeltas(events) });
  });

  it("continues a conversation: the next order, the same conversation", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const first = await send(alice, modelId, { message: "One" });

    const events = await streamTurn(alice, modelId, { message: "Two", stream: true, conversationId: first.json.conversationId });

    expect(events.at(-1)).toMatchObject({ event: "done", data: { conversationId: first.json.conversationId, messageOrder: 2 } });
    expect(sim.chatRequests[1].messages).toContainEqual({ role: "assistant", content: first.json.response });
  });

  it("a retired fine-tune falls back before the first byte and is recorded", async () => {
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id);
    sim.retireModel(fineTune);

    const events = await streamTurn(alice, modelId, { message: "Hello", stream: true });

    expect(events.at(-1)).toMatchObject({ event: "done", data: { usingFallback: true } });
    expect(requestedModels()).toEqual([fineTune, FALLBACK_MODEL]);
    expect((await modelRow(modelId)).fine_tuned_model_retired_at).toBeInstanceOf(Date);
  });

  it("when no model answers at all, it is a plain 502 JSON error, not a stream, and nothing is stored", async () => {
    const alice = await createUser("alice");
    const { id: modelId } = await completedModel(alice.id);
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 500, times: 5 });

    const response = await chat(chatRequest(alice, modelId, { message: "Hello", stream: true }));

    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await response.json()).error).toMatchObject({ code: "provider_error", retryable: true });
    expect(await chatRows({ modelId })).toEqual([]);
  });

  it("a stream the provider cuts off ends with a retryable error event, and nothing is stored", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    server.use(http.post(CHAT_URL, () =>
      new HttpResponse(
        completionChunk({ role: "assistant", content: "" }) + completionChunk({ content: "Once upon " }) +
          completionChunk({ content: "a time" }),
        { headers: { "content-type": "text/event-stream" } },
      )));

    const events = await streamTurn(alice, modelId, { message: "Hello", stream: true });

    expect(events.map((event) => event.event)).toEqual(["delta", "delta", "error"]);
    expect(events[2].data).toMatchObject({ retryable: true, code: expect.any(String) });
    expect(await chatRows({ modelId })).toEqual([]);
    expect((await modelRow(modelId)).chat_count).toBe(0);
  });

  it("a client that goes away mid-stream stops the provider request, and nothing is stored", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const words = Array.from({ length: 20 }, (_, i) => `word${i} `);
    let providerStopped = false;
    let providerFinished = false;
    server.use(http.post(CHAT_URL, ({ request }) => {
      request.signal.addEventListener("abort", () => (providerStopped = true));
      const encoder = new TextEncoder();
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent === 0) controller.enqueue(encoder.encode(completionChunk({ role: "assistant", content: "" })));
          if (sent < words.length) {
            if (sent > 0) await new Promise((resolve) => setTimeout(resolve, 50));
            controller.enqueue(encoder.encode(completionChunk({ content: words[sent++] })));
            return;
          }
          controller.enqueue(encoder.encode(
            completionChunk({}, { choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] }) +
              completionChunk({}, { choices: [], usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } }) +
              "data: [DONE]\n\n",
          ));
          providerFinished = true;
          controller.close();
        },
        cancel() {
          providerStopped = true;
        },
      });
      return new HttpResponse(body, { headers: { "content-type": "text/event-stream" } });
    }));

    const response = await chat(chatRequest(alice, modelId, { message: "Tell me everything", stream: true }));
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("event: delta");
    await reader.cancel();

    // The whole answer would take about a second; wait past that (bounded) and look.
    const deadline = Date.now() + 3000;
    while (!providerStopped && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(providerStopped).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(providerFinished).toBe(false);
    expect(await chatRows({ modelId })).toEqual([]);
    expect((await modelRow(modelId)).chat_count).toBe(0);
  });
});
