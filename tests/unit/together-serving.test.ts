import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_TOGETHER_BASE_MODEL, DEFAULT_TOGETHER_DEDICATED_BASE_MODEL, env, resetEnv } from "../../shared/env.ts";
import { ProviderError } from "../../shared/llm/errors.ts";
import { togetherServingOf } from "../../shared/providers/together/chat-serving.ts";
import { resetTogetherEndpointCache } from "../../shared/providers/together/endpoint.ts";
import { togetherServingRefusal } from "../../shared/providers/together/serving.ts";
import { TogetherTrainingProvider } from "../../shared/providers/together/training.ts";
import { createTogetherSimulator } from "../../supabase/local/together-simulator/simulator.ts";

// Which Together fine-tunes can answer, from configuration and the endpoint's adapter list; and
// deletion, whose refusals surface as ProviderError for the lifecycle to record.
const sim = createTogetherSimulator();
const server = setupServer(...sim.handlers);
const SETTINGS = ["TOGETHER_ENDPOINT_ID", "TOGETHER_SERVERLESS_LORA_BASE_MODELS", "TOGETHER_FINE_TUNE_BASE_MODEL"];

function configure(settings: Record<string, string> = {}) {
  for (const name of SETTINGS) delete process.env[name];
  Object.assign(process.env, {
    SUPABASE_DB_URL: "postgresql://postgres:postgres@127.0.0.1:1/unused",
    TOGETHER_API_KEY: "together-test-key",
    TOGETHER_BASE_URL: "https://api.together.xyz/v1",
    ...settings,
  });
  resetEnv();
  resetTogetherEndpointCache();
}

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => {
  server.close();
  configure();
});
beforeEach(() => {
  sim.reset();
  configure();
});

describe("which Together fine-tunes can answer", () => {
  it("defaults to a base that can be served: serverless-listed without an endpoint, a non-Reference one with", () => {
    expect(env().TOGETHER_FINE_TUNE_BASE_MODEL).toBe(DEFAULT_TOGETHER_BASE_MODEL);
    expect(togetherServingRefusal(DEFAULT_TOGETHER_BASE_MODEL)).toBeNull();
    configure({ TOGETHER_ENDPOINT_ID: "endpoint-1" });
    expect(env().TOGETHER_FINE_TUNE_BASE_MODEL).toBe(DEFAULT_TOGETHER_DEDICATED_BASE_MODEL);
    expect(togetherServingRefusal(DEFAULT_TOGETHER_DEDICATED_BASE_MODEL)).toBeNull();
  });

  it("refuses a base nothing serves: not serverless-listed without an endpoint; -Reference with only an endpoint", () => {
    expect(togetherServingRefusal("Qwen/Qwen3-8B")).toMatch(/not listed for serverless LoRA .* no dedicated endpoint is set \(TOGETHER_ENDPOINT_ID\)/);
    configure({ TOGETHER_ENDPOINT_ID: "endpoint-1", TOGETHER_SERVERLESS_LORA_BASE_MODELS: "none" });
    expect(env().TOGETHER_SERVERLESS_LORA_BASE_MODELS).toEqual([]);
    expect(togetherServingRefusal(DEFAULT_TOGETHER_BASE_MODEL)).toMatch(/-Reference base cannot be deployed on the dedicated endpoint/);
  });

  it("serves an adapter attached to the endpoint (priced as the hosting), else says why it is not deployed", async () => {
    const endpoint = sim.createEndpoint({ model: "Qwen/Qwen3-8B" });
    configure({ TOGETHER_ENDPOINT_ID: endpoint.id });
    endpoint.adapters.add("acct/Qwen3-8B-sv-a");
    expect(await togetherServingOf("acct/Qwen3-8B-sv-a", "Qwen/Qwen3-8B")).toEqual({ served: true, priceModel: "dedicated-endpoint" });
    expect(await togetherServingOf("acct/Qwen3-8B-sv-b", "Qwen/Qwen3-8B")).toEqual({
      served: false,
      reason: `the fine-tune is not deployed: it is not attached to the dedicated endpoint ${endpoint.id}, and Qwen/Qwen3-8B is not served by serverless LoRA`,
    });
    // A serverless-listed base answers serverless even when the endpoint's list cannot be read.
    sim.inject({ method: "GET", path: `/v1/endpoints/${endpoint.id}/adapters`, status: 503, times: 5 });
    resetTogetherEndpointCache();
    expect(await togetherServingOf("acct/Qwen2.5-72B-sv-c", "Qwen/Qwen2.5-72B-Instruct")).toEqual({ served: true });
    expect(await togetherServingOf("acct/Qwen3-8B-sv-a", "Qwen/Qwen3-8B")).toMatchObject({ served: false, reason: expect.stringMatching(/could not be read/) });
  });
});

describe("deleting a Together fine-tune", () => {
  it("detaches it from the endpoint, deletes its job, and throws the provider's refusal as a ProviderError", async () => {
    const endpoint = sim.createEndpoint({ model: "Qwen/Qwen3-8B" });
    configure({ TOGETHER_ENDPOINT_ID: endpoint.id });
    const provider = new TogetherTrainingProvider();
    const { fileId } = await provider.uploadTrainingFile(
      `${JSON.stringify({ messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello." }] })}\n`,
      "x.jsonl",
    );
    const job = await provider.createJob({
      modelId: "6d1f0c7a-4b2e-4f5a-9c3d-2e8b7a6f5d4c",
      runId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      trainingFileId: fileId,
      baseModel: "Qwen/Qwen3-8B",
      epochs: 1,
    });
    const adapter = sim.jobs.get(job.id)!.outputName;
    endpoint.adapters.add(adapter);

    sim.inject({ method: "DELETE", path: `/v1/fine-tunes/${job.id}`, status: 403 });
    const refused = await provider.deleteModel(adapter, job.id).then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(ProviderError);
    expect((refused as ProviderError).status).toBe(403);
    expect(endpoint.adapters.size).toBe(0);
    expect(sim.jobs.has(job.id)).toBe(true);

    await provider.deleteModel(adapter, job.id);
    expect(sim.jobs.has(job.id)).toBe(false);
    expect(sim.requests.filter((request) => request.startsWith("DELETE"))).toEqual([
      `DELETE /v1/endpoints/${endpoint.id}/adapters`,
      `DELETE /v1/fine-tunes/${job.id}`,
      `DELETE /v1/fine-tunes/${job.id}`,
    ]);
  });
});
