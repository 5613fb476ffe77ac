import { APIConnectionTimeoutError, APIError, InternalServerError, RateLimitError } from "openai";
import { describe, expect, it, vi } from "vitest";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { client, createJob, useSimulatorHarness } from "../support/openai-simulator-harness.ts";

const { sim, server, finishedJob } = useSimulatorHarness();

describe("auth", () => {
  it("answers 401 in OpenAI's error shape without a bearer token", async () => {
    const response = await fetch("https://api.openai.com/v1/chat/completions", { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { message: expect.stringContaining("API key"), type: "invalid_request_error", param: null, code: null },
    });
  });
});

describe("injected faults", () => {
  const chat = () =>
    client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });

  it("answers 429 rate_limit_error the given number of times, then recovers", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "status", status: 429, times: 2 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await chat().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ type: "rate_limit_error" });
    }
    await expect(chat()).resolves.toMatchObject({ object: "chat.completion" });
    expect(sim.chatRequests).toHaveLength(3);
  });

  it("answers 5xx as server_error", async () => {
    sim.inject({ path: /\/fine_tuning\/jobs$/, method: "POST", kind: "status", status: 500 });
    const error = await createJob().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, type: "server_error" });
  });

  it("only hits the method it names", async () => {
    sim.inject({ path: "/v1/chat/completions", method: "GET", kind: "status", status: 503 });
    await expect(chat()).resolves.toMatchObject({ object: "chat.completion" });
  });

  it("answers a malformed body with status 200", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "malformed" });
    const error = await chat().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(APIError);
  });

  it("hangs until the client gives up, and then clears its timer", async () => {
    const setTimer = vi.spyOn(globalThis, "setTimeout");
    const clearTimer = vi.spyOn(globalThis, "clearTimeout");
    sim.inject({ path: "/v1/chat/completions", kind: "timeout" });
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, { timeout: 100 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);

    const hangIndex = setTimer.mock.calls.findIndex(([, delay]) => delay === 60_000);
    expect(hangIndex).toBeGreaterThanOrEqual(0);
    const hangTimer = setTimer.mock.results[hangIndex].value;
    await vi.waitFor(() => expect(clearTimer).toHaveBeenCalledWith(hangTimer), { timeout: 1_000 });
  });

  it("answers normally after a short hang", async () => {
    sim.inject({ path: "/v1/chat/completions", kind: "timeout", delayMs: 30 });
    await expect(chat()).resolves.toMatchObject({ object: "chat.completion" });
  });
});

describe("latency and reset", () => {
  it("delays every response by latencyMs", async () => {
    const slow = createOpenAISimulator({ latencyMs: 80 });
    server.use(...slow.handlers);
    const started = performance.now();
    await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    expect(slow.chatRequests).toHaveLength(1);
  });

  it("reset forgets files, jobs, models, requests, faults and refusals", async () => {
    const modelId = (await finishedJob()).fine_tuned_model!;
    sim.retireModel("gpt-4o-mini");
    sim.refuseFineTuning();
    sim.inject({ path: "/v1/files", kind: "status", status: 500, times: 5 });
    sim.reset();
    expect([sim.files.size, sim.jobs.size, sim.fineTunedModels.size, sim.chatRequests.length]).toEqual([0, 0, 0, 0]);
    expect(sim.fineTunedModels.has(modelId)).toBe(false);
    await expect(createJob()).resolves.toMatchObject({ status: "validating_files" });
    await expect(client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }))
      .resolves.toMatchObject({ object: "chat.completion" });
  });
});
