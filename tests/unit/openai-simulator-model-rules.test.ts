import { describe, expect, it } from "vitest";
import { client, START_MS, useSimulatorHarness } from "../support/openai-simulator-harness.ts";

// The simulator refuses what OpenAI refuses, so a request our code builds wrongly fails in tests.

const { advance } = useSimulatorHarness();
const messages = [{ role: "user" as const, content: "Hello" }];
const DAY_MS = 86_400_000;

async function statusOf(body: Record<string, unknown>) {
  try {
    await client.chat.completions.create({ model: "gpt-6-luna", messages, ...body } as never);
    return { status: 200, message: "" };
  } catch (error) {
    const failure = error as { status: number; message: string };
    return { status: failure.status, message: failure.message };
  }
}

describe("OpenAI simulator: parameter rules", () => {
  it("refuses max_tokens for gpt-5+/gpt-6 and names the parameter to use", async () => {
    expect(await statusOf({ max_tokens: 100 })).toEqual({
      status: 400,
      message: expect.stringContaining("Use 'max_completion_tokens' instead"),
    });
    expect((await statusOf({ max_completion_tokens: 100 })).status).toBe(200);
    expect((await statusOf({ model: "gpt-5-mini", max_tokens: 100 })).status).toBe(400);
  });

  it("refuses temperature on a reasoning model unless the effort is none", async () => {
    expect((await statusOf({ temperature: 0.7 })).status).toBe(400);
    expect((await statusOf({ temperature: 0.7, reasoning_effort: "low" })).status).toBe(400);
    expect((await statusOf({ temperature: 0.7, reasoning_effort: "none" })).status).toBe(200);
  });

  it("refuses a temperature outside 0-2 on any model", async () => {
    expect(await statusOf({ model: "gpt-4o", temperature: 2.5 })).toEqual({
      status: 400,
      message: expect.stringContaining("Invalid 'temperature': decimal above maximum value. Expected a value <= 2"),
    });
    expect((await statusOf({ model: "gpt-4o", temperature: -0.1 })).status).toBe(400);
    expect((await statusOf({ model: "gpt-4o", temperature: 2 })).status).toBe(200);
  });

  it("refuses reasoning_effort on gpt-4.x, which takes max_tokens and temperature", async () => {
    expect((await statusOf({ model: "gpt-4.1-mini-2025-04-14", reasoning_effort: "none" })).status).toBe(400);
    expect((await statusOf({ model: "gpt-4.1-mini-2025-04-14", max_tokens: 50, temperature: 0.3 })).status).toBe(200);
  });

  it("refuses a reasoning_effort value the model does not take, with OpenAI's 400 body", async () => {
    const refusal = async (model: string, effort: string) => {
      const response = await fetch(`${client.baseURL}/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer sim", "content-type": "application/json" },
        body: JSON.stringify({ model, messages, reasoning_effort: effort }),
      });
      return { status: response.status, body: await response.json() };
    };
    expect(await refusal("gpt-5", "none")).toEqual({
      status: 400,
      body: {
        error: {
          message: "Unsupported value: 'reasoning_effort' does not support 'none' with this model. " +
            "Supported values are: 'minimal', 'low', 'medium', and 'high'.",
          type: "invalid_request_error",
          param: "reasoning_effort",
          code: "unsupported_value",
        },
      },
    });
    for (const [model, effort] of [["gpt-5-mini", "none"], ["gpt-5-nano", "none"], ["o3", "none"], ["o4-mini", "minimal"]]) {
      expect((await refusal(model, effort)).status, `${model} ${effort}`).toBe(400);
    }
    for (const [model, effort] of [["gpt-5", "minimal"], ["o3", "low"], ["gpt-5.1", "none"], ["gpt-6-luna", "none"]]) {
      expect((await refusal(model, effort)).status, `${model} ${effort}`).toBe(200);
    }
  });

  it("answers 404 for a model, and fine-tunes of it, from its shutdown day on", async () => {
    const model = "gpt-4.1-mini-2025-04-14";
    advance(Date.UTC(2027, 0, 13, 23) - START_MS);
    expect((await statusOf({ model })).status).toBe(200);
    advance(DAY_MS);
    expect(await statusOf({ model })).toMatchObject({ status: 404 });
    expect((await statusOf({ model: "gpt-6-luna" })).status).toBe(200);
  });

  it("serves shutdown_date on GET /v1/models and leaves out what has shut down", async () => {
    advance(Date.UTC(2026, 11, 1) - START_MS);
    const page = await client.get<unknown, { data: { id: string; shutdown_date: string | null }[] }>("/models");
    const byId = new Map(page.data.map((model) => [model.id, model.shutdown_date]));
    expect(byId.get("gpt-6-luna")).toBeNull();
    expect(byId.get("gpt-4o-2024-08-06")).toBe("2027-01-14");
    expect(byId.get("gpt-5")).toBe("2026-12-11");
    expect(byId.has("gpt-4.1-nano-2025-04-14")).toBe(false);
  });
});
