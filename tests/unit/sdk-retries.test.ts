import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnv } from "../../shared/env.ts";
import { completeChat } from "../../shared/providers/openai/chat.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { trainingProvider } from "../../shared/providers/registry.ts";
import { ProviderError } from "../../shared/llm/errors.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { serveSimulatorOverHttp } from "../support/simulator-http.ts";

// The official SDK's retries of 429/5xx, over a real loopback socket (in-process msw cannot replay
// a cancelled mocked body, so the other suites run without retries).
const sim = createOpenAISimulator();
let served: Awaited<ReturnType<typeof serveSimulatorOverHttp>>;

beforeAll(async () => {
  served = await serveSimulatorOverHttp(sim);
});
afterAll(() => served.close());
beforeEach(() => {
  sim.reset();
  Object.assign(process.env, {
    OPENAI_API_KEY: "test-key",
    OPENAI_BASE_URL: served.baseUrl,
    OPENAI_MAX_RETRIES: "2",
    OPENAI_TIMEOUT_MS: "5000",
    SUPABASE_DB_URL: "postgresql://unused@127.0.0.1:1/x",
  });
  resetEnv();
  resetOpenAI();
});

const lookup = () => trainingProvider().findJobForRun({
    modelId: "00000000-0000-4000-8000-00000000beef",
    runId: "00000000-0000-4000-8000-00000000cafe",
    firstRun: true,
  });

describe("provider calls retry through the SDK", () => {
  it("a 429 and a 500 are retried, and the third attempt answers", async () => {
    sim.inject({ method: "GET", path: "/v1/fine_tuning/jobs", kind: "status", status: 429, times: 1 });
    sim.inject({ method: "GET", path: "/v1/fine_tuning/jobs", kind: "status", status: 500, times: 1 });
    await expect(lookup()).resolves.toBeNull();
  });

  it("gives up after OPENAI_MAX_RETRIES with the right kind", async () => {
    sim.inject({ method: "GET", path: "/v1/fine_tuning/jobs", kind: "status", status: 503, times: 3 });
    const failure = await lookup().catch((error) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure.kind).toBe("server");
  });

  it("chat retries at most once before the caller falls back", async () => {
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 429, times: 2 });
    const failure = await completeChat({
      model: "gpt-4.1-mini-2025-04-14",
      messages: [{ role: "user", content: "Hello" }],
    }).catch((error) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure.kind).toBe("rate_limited");
    expect(sim.chatRequests).toHaveLength(2);
  });
});
