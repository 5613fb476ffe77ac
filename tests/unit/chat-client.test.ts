import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnv } from "../../shared/env.ts";
import type { ChatMessage, ChatStreamEvent } from "../../shared/llm/chat.ts";
import { completeChat, streamChat } from "../../shared/providers/openai/chat.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { ProviderError } from "../../shared/llm/errors.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";

const sim = createOpenAISimulator();
const server = setupServer(...sim.handlers);

const BASE_MODEL = "gpt-4.1-mini-2025-04-14";
const FINE_TUNED = "ft:gpt-4.1-mini-2025-04-14:storyvoice:sv-6d1f0c7a4b2e:AbCd1234";
const messages: ChatMessage[] = [
  { role: "system", content: "You are Ada Byron, the author of Engines. Stay in character." },
  { role: "user", content: "Where did the idea for the engine come from, and why did it take so long to write?" },
];

async function collect(events: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const seen: ChatStreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

/**
 * The signals of the requests the SDK sends. Aborting that signal is what cancels an HTTP request in
 * any fetch; the SDK takes `fetch` when its client is built, which `resetOpenAI()` in beforeEach defers.
 */
function spyOnFetchSignals(): () => (AbortSignal | undefined)[] {
  const spy = vi.spyOn(globalThis, "fetch");
  return () => spy.mock.calls.map(([, init]) => init?.signal ?? undefined);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return await promise.then(() => {
    throw new Error("expected a rejection");
  }, (reason: unknown) => reason);
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
});
beforeEach(() => {
  sim.reset();
  Object.assign(process.env, {
    OPENAI_API_KEY: "test-key",
    OPENAI_BASE_URL: "https://api.openai.com/v1",
    SUPABASE_DB_URL: "postgresql://unused@127.0.0.1:1/x",
    OPENAI_MAX_RETRIES: "0",
    OPENAI_TIMEOUT_MS: "5000",
  });
  resetEnv();
  resetOpenAI();
});

describe("completeChat", () => {
  it("answers with the reply, the tokens used and the model that answered", async () => {
    const reply = await completeChat({ model: BASE_MODEL, messages, temperature: 0.7, maxTokens: 300 });
    expect(reply.text).toContain("As Ada Byron");
    expect(reply.tokensUsed).toBeGreaterThan(0);
    expect(reply.model).toBe(BASE_MODEL);
    expect(sim.chatRequests).toHaveLength(1);
    expect(sim.chatRequests[0]).toMatchObject({ model: BASE_MODEL, messages, temperature: 0.7, max_tokens: 300 });
    expect(sim.chatRequests[0].stream).toBe(false);
  });

  it("uses an existing fine-tuned model", async () => {
    sim.fineTunedModels.add(FINE_TUNED);
    expect((await completeChat({ model: FINE_TUNED, messages })).model).toBe(FINE_TUNED);
  });

  it("a retired fine-tuned model is not_found, so the caller can fall back", async () => {
    sim.fineTunedModels.add(FINE_TUNED);
    sim.retireModel(FINE_TUNED);
    const error = await providerError(completeChat({ model: FINE_TUNED, messages }));
    expect(error.kind).toBe("not_found");
    expect(error.status).toBe(404);
    expect(error.message).toContain("model_not_found");
  });

  it.each([
    [429, "rate_limited"],
    [500, "server"],
    [503, "server"],
  ] as const)("a %i is %s", async (status, kind) => {
    sim.inject({ path: "/v1/chat/completions", kind: "status", status });
    const error = await providerError(completeChat({ model: BASE_MODEL, messages }));
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain("test-key");
  });

  it("no answer within the timeout is timeout", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "timeout", delayMs: 5_000 });
    const error = await providerError(completeChat({ model: BASE_MODEL, messages, timeoutMs: 100 }));
    expect(error.kind).toBe("timeout");
  });

  it("a body that is not valid JSON is bad_response", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "malformed" });
    expect((await providerError(completeChat({ model: BASE_MODEL, messages }))).kind).toBe("bad_response");
  });

  it("an aborted request rejects with the abort, not a provider error", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "timeout", delayMs: 5_000 });
    const controller = new AbortController();
    const pending = completeChat({ model: BASE_MODEL, messages, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(pending);
    expect(error).not.toBeInstanceOf(ProviderError);
    expect((error as Error).name).toBe("AbortError");
  });
});

describe("streamChat", () => {
  it("streams deltas that join to the full reply, then the totals, asking for usage", async () => {
    const events = await collect(streamChat({ model: BASE_MODEL, messages, maxTokens: 300 }));
    const deltas = events.filter((event) => event.type === "delta");
    const done = events.at(-1);
    expect(deltas.length).toBeGreaterThan(1);
    expect(done).toMatchObject({ type: "done", model: BASE_MODEL });
    expect(done?.type === "done" && done.tokensUsed).toBeGreaterThan(0);
    expect(events.filter((event) => event.type === "done")).toHaveLength(1);
    expect(sim.chatRequests[0]).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_tokens: 300 });

    const whole = await completeChat({ model: BASE_MODEL, messages });
    expect(deltas.map((event) => event.text).join("")).toBe(whole.text);
  });

  it("a retired fine-tuned model is not_found before any delta", async () => {
    sim.fineTunedModels.add(FINE_TUNED);
    sim.retireModel(FINE_TUNED);
    const seen: ChatStreamEvent[] = [];
    const error = await providerError((async () => {
      for await (const event of streamChat({ model: FINE_TUNED, messages })) seen.push(event);
    })());
    expect(error.kind).toBe("not_found");
    expect(seen).toHaveLength(0);
  });

  it("a 429 is rate_limited and a hang is timeout", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "status", status: 429 });
    expect((await providerError(collect(streamChat({ model: BASE_MODEL, messages })))).kind).toBe("rate_limited");

    sim.inject({ path: "/v1/chat/completions", kind: "timeout", delayMs: 5_000 });
    const timedOut = await providerError(collect(streamChat({ model: BASE_MODEL, messages, timeoutMs: 100 })));
    expect(timedOut.kind).toBe("timeout");
  });

  it("a stream that goes quiet after some deltas is timeout, and the request is aborted", async () => {
    const fetchSignals = spyOnFetchSignals();
    server.use(http.post("*/v1/chat/completions", () => {
      const chunk = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 0, model: BASE_MODEL,
        choices: [{ index: 0, delta: { content: "Once upon " }, finish_reason: null }] };
      // One delta, then silence: the connection stays open and nothing more arrives.
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(chunk)}\n\n`));
        },
      });
      return new HttpResponse(body, { headers: { "content-type": "text/event-stream" } });
    }));
    const seen: ChatStreamEvent[] = [];
    const error = await providerError((async () => {
      for await (const event of streamChat({ model: BASE_MODEL, messages, timeoutMs: 100 })) seen.push(event);
    })());
    expect(error.kind).toBe("timeout");
    expect(seen).toEqual([{ type: "delta", text: "Once upon " }]);
    expect(fetchSignals().map((signal) => signal?.aborted)).toEqual([true]);
  });

  it("a body that is not an event stream is bad_response", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "malformed" });
    const error = await providerError(collect(streamChat({ model: BASE_MODEL, messages })));
    expect(error.kind).toBe("bad_response");
  });

  it("aborting mid-stream stops the deltas, aborts the HTTP request and rejects with the abort", async () => {
    const fetchSignals = spyOnFetchSignals();
    const controller = new AbortController();
    const seen: ChatStreamEvent[] = [];
    const error = await rejection((async () => {
      for await (const event of streamChat({ model: BASE_MODEL, messages, signal: controller.signal })) {
        seen.push(event);
        controller.abort();
      }
    })());

    expect((error as Error).name).toBe("AbortError");
    expect(seen).toHaveLength(1);
    expect(seen[0].type).toBe("delta");
    expect(fetchSignals().map((signal) => signal?.aborted)).toEqual([true]);
  });

  it("a consumer that stops early aborts the HTTP request", async () => {
    const fetchSignals = spyOnFetchSignals();
    for await (const event of streamChat({ model: BASE_MODEL, messages })) {
      expect(event.type).toBe("delta");
      break;
    }
    expect(fetchSignals().map((signal) => signal?.aborted)).toEqual([true]);
  });
});
