import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import speech from "../../functions/fine-tune-speech/handler.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// POST /fine-tune-speech in-process on the suite's own database, with the speech endpoint answered
// by this file's own simulator through msw: what the deployment says without a speech provider,
// and how each provider failure reaches the client. The HTTP suite covers the rest.

const TTS_BASE_URL = "https://speech.example.test/v1";
const sim = createOpenAISimulator();
const server = setupServer(...sim.handlers);

useSuiteDatabase();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  sim.reset();
  useStackEnvironment({ TTS_BASE_URL, TTS_API_KEY: "sk-speech-test", TTS_MODEL: "tts-sim", TTS_TIMEOUT_MS: "300", TTS_VOICES: undefined, TTS_VOICE: undefined });
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let owner: TestUser;
let modelId: string;
beforeAll(async () => {
  owner = await createUser("speech");
  modelId = await insertModel(owner.id, { entity_name: "Lucy Snowe" });
});

async function speak(body: unknown, token: string | undefined = owner.token, model = modelId) {
  const response = await speech(new Request(`http://localhost/functions/v1/fine-tune-speech/${model}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  }));
  const type = response.headers.get("content-type") ?? "";
  return { status: response.status, type, json: type.includes("json") ? await response.json() : undefined, response };
}

describe("speech without a speech provider", () => {
  it("is a 501 speech_not_configured, and GET says configured: false", async () => {
    useStackEnvironment({ TTS_BASE_URL: undefined, TTS_API_KEY: undefined, TTS_MODEL: undefined });
    const { status, json } = await speak({ text: "Hello" });
    expect(status).toBe(501);
    expect(json).toEqual({
      success: false,
      error: { code: "speech_not_configured", message: "Speech is not configured on this deployment (TTS_BASE_URL, TTS_MODEL)." },
    });
    const options = await speech(new Request("http://localhost/functions/v1/fine-tune-speech", {
      headers: { Authorization: `Bearer ${owner.token}` },
    }));
    expect(await options.json()).toMatchObject({ success: true, configured: false, defaultVoice: "alloy" });
    expect(sim.speechRequests).toHaveLength(0);
  });

  it("refuses half a configuration loudly, naming the missing setting", async () => {
    useStackEnvironment({ TTS_BASE_URL, TTS_MODEL: undefined });
    const { status, json } = await speak({ text: "Hello" });
    expect(status).toBe(500);
    expect(json.error.code).toBe("internal_error");
    const { env } = await import("../../shared/env.ts");
    expect(() => env()).toThrow(/TTS_MODEL: is required when speech is configured/);
  });
});

describe("speech provider failures", () => {
  it("speaks in the default voice when the persona has none", async () => {
    const { status, type, response } = await speak({ text: "Hello, reader.", format: "wav" });
    expect(status).toBe(200);
    expect(type).toBe("audio/wav");
    expect(response.headers.get("x-speech-voice")).toBe("alloy");
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(44);
    expect(sim.speechRequests).toEqual([{ model: "tts-sim", input: "Hello, reader.", voice: "alloy", response_format: "wav" }]);
  });

  it("records what was read aloud in the spend ledger, by characters; a failed call records nothing", async () => {
    const reader = await createUser("speech-ledger");
    const own = await insertModel(reader.id, { entity_name: "Paul Emanuel" });
    const ledger = () => adminSql()<{ kind: string; billed_model: string; requests: number; characters: string; cost_usd: string }[]>`
      select kind, billed_model, requests, characters, cost_usd from private.spend_ledger where user_id = ${reader.id}`;
    sim.inject({ path: "/v1/audio/speech", kind: "status", status: 500 });
    expect((await speak({ text: "Not spoken." }, reader.token, own)).status).toBe(502);
    expect(await ledger()).toEqual([]);
    const { status, response } = await speak({ text: "Twenty characters!!!" }, reader.token, own);
    expect(status).toBe(200);
    await response.arrayBuffer();
    // tts-sim is not in the price table: the provider's fallback, $30 per 1M characters.
    expect(await ledger()).toEqual([{ kind: "speech", billed_model: "tts-sim", requests: 1, characters: "20", cost_usd: "0.000600" }]);
  });

  it("a provider that does not answer in time is a retryable 503", async () => {
    sim.inject({ path: "/v1/audio/speech", kind: "timeout", delayMs: 5_000 });
    const started = Date.now();
    const { status, json } = await speak({ text: "Hello" });
    expect(status).toBe(503);
    expect(json.error).toMatchObject({ code: "provider_unavailable", retryable: true });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("5xx is a retryable 502, 429 a retryable 503, a refused request a 502 that is not retryable", async () => {
    for (const [upstream, status, code, retryable] of [
      [500, 502, "provider_error", true],
      [503, 502, "provider_error", true],
      [429, 503, "provider_unavailable", true],
      [400, 502, "speech_refused", undefined],
      [401, 502, "speech_refused", undefined],
    ] as const) {
      sim.inject({ path: "/v1/audio/speech", kind: "status", status: upstream });
      const answer = await speak({ text: "Hello" });
      expect(answer.status, `upstream ${upstream}`).toBe(status);
      expect(answer.json.error.code).toBe(code);
      expect(answer.json.error.retryable).toBe(retryable);
    }
  });

  it("an endpoint that answers JSON instead of audio is a 502", async () => {
    sim.inject({ path: "/v1/audio/speech", kind: "malformed" });
    const { status, json } = await speak({ text: "Hello" });
    expect(status).toBe(502);
    expect(json.error.code).toBe("provider_error");
  });
});
