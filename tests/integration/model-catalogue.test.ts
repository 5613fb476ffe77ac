import { afterEach, describe, expect, it } from "vitest";
import { refreshCatalogue } from "../../shared/catalogue/refresh.ts";
import { forgetCatalogue, readCatalogue } from "../../shared/catalogue/current.ts";
import { chatFallbackModel, configuredModelWarnings, fineTuneBaseRefusal } from "../../shared/catalogue/model-choice.ts";
import { runTrainingSync } from "../../shared/sync/run-training-sync.ts";
import chat from "../../functions/fine-tune-chat/handler.ts";
import { chatRequest, configure, modelRow, send, useChatHarness } from "../support/chat-harness.ts";
import { adminSql, createUser } from "../support/stack.ts";
import { backToTestDay, onDay, pinDay } from "../support/on-day.ts";

// The model catalogue against the suite's own database, and the simulator's model list: dates are
// read from the provider, and on a given day no request goes to a model that day has killed.

const { sim, completedModel, requestedModels } = useChatHarness();

/** Default model settings: none of the chat harness's own. */
function defaults() {
  configure({ CHAT_MODEL: undefined, TEACHER_MODEL: undefined });
  forgetCatalogue();
}

afterEach(() => {
  backToTestDay();
  forgetCatalogue();
});

describe("model catalogue: refreshed from the provider", () => {
  it("takes shutdown dates from GET /v1/models, replacing the fallback table's", async () => {
    defaults();
    await adminSql()`update private.model_catalogue set shutdown_date = null, shutdown_source = 'none'
                     where provider = 'openai' and model_id = 'gpt-4o-mini-2024-07-18'`;

    expect(await refreshCatalogue({ force: true })).toEqual({ refreshed: ["openai"], failed: [] });

    const [row] = await adminSql()`select to_char(shutdown_date, 'YYYY-MM-DD') as shutdown_date, shutdown_source, listed_at
                                   from private.model_catalogue where model_id = 'gpt-4o-mini-2024-07-18'`;
    expect(row).toMatchObject({ shutdown_date: "2027-01-14", shutdown_source: "provider" });
    expect(row.listed_at).toBeInstanceOf(Date);
    const luna = (await readCatalogue()).entry("openai", "gpt-6-luna");
    expect(luna).toMatchObject({
      shutdownDate: null,
      purposes: ["chat", "teacher"],
      rules: { tokenParameter: "max_completion_tokens", temperature: "without_reasoning", takesReasoningEffort: true },
    });
  });

  it("asks a provider once an hour, and keeps its rows when it fails", async () => {
    defaults();
    await adminSql()`update private.model_catalogue set listed_at = null`;
    expect((await refreshCatalogue()).refreshed).toEqual(["openai"]);
    expect(await refreshCatalogue()).toEqual({ refreshed: [], failed: [] });

    sim.inject({ method: "GET", path: "/v1/models", kind: "status", status: 500 });
    await adminSql()`update private.model_catalogue set listed_at = null`;
    expect(await refreshCatalogue()).toEqual({ refreshed: [], failed: ["openai"] });
    const [{ dated }] = await adminSql()`select count(*)::int as dated from private.model_catalogue
                                         where provider = 'openai' and shutdown_date is not null`;
    expect(dated).toBeGreaterThan(10);
  });

  it("the training sync refreshes it and reports configured models within 30 days of shutdown", async () => {
    defaults();
    pinDay("2026-12-20");
    const report = await runTrainingSync();

    expect(report.catalogue).toEqual({ refreshed: ["openai"], failed: [] });
    expect(report.modelsNearShutdown).toContainEqual({
      setting: "FINE_TUNE_BASE_MODEL",
      provider: "openai",
      model: "gpt-4.1-mini-2025-04-14",
      shutdownDate: "2027-01-14",
      daysLeft: 25,
      unlisted: false,
      replacement: null,
    });
    // The chat and teacher defaults are not among them.
    expect(report.modelsNearShutdown.map((warning) => warning.setting)).not.toContain("CHAT_MODEL");
  });

  it("a sync whose model list call fails reports it and still does its work", async () => {
    defaults();
    await adminSql()`update private.model_catalogue set listed_at = null`;
    sim.inject({ method: "GET", path: "/v1/models", kind: "status", status: 503 });

    const report = await runTrainingSync();

    expect(report.catalogue).toEqual({ refreshed: [], failed: ["openai"] });
    expect(report.errors).toBe(0);
  });
});

describe("model catalogue: the defaults outlive 2027-01-14", () => {
  it.each(["2026-12-01", "2027-01-15", "2027-06-01"])("on %s no default chat or teacher model is near its shutdown", async (day) => {
    defaults();
    const warnings = configuredModelWarnings(await readCatalogue(), new Date(`${day}T00:00:00Z`));
    expect(warnings.filter((warning) => ["CHAT_MODEL", "TEACHER_MODEL"].includes(warning.setting))).toEqual([]);
    expect(warnings.filter((warning) => warning.model.includes("nano"))).toEqual([]);
  });

  it("a configured chat model that has shut down is replaced by a live one, never asked", async () => {
    configure({ CHAT_MODEL: "gpt-5-mini" });
    forgetCatalogue();
    const choice = await chatFallbackModel(new Date("2026-12-11T00:00:00Z"));
    expect(choice).toMatchObject({ provider: "openai", model: "gpt-6-luna" });
    expect(await chatFallbackModel(new Date("2026-12-10T00:00:00Z"))).toMatchObject({ model: "gpt-5-mini" });
  });

  it("no job starts on a base whose fine-tuning has closed or that has shut down", async () => {
    defaults();
    expect(await fineTuneBaseRefusal("openai", "gpt-4.1-mini-2025-04-14", new Date("2027-01-05T00:00:00Z"))).toBeNull();
    expect(await fineTuneBaseRefusal("openai", "gpt-4.1-mini-2025-04-14", new Date("2027-01-06T00:00:00Z")))
      .toMatch(/closed on 2027-01-06/);
    expect(await fineTuneBaseRefusal("openai", "gpt-4.1-nano-2025-04-14", new Date("2026-12-01T00:00:00Z")))
      .toMatch(/shut down on 2026-10-23/);
  });
});

describe("chat on 2027-01-15 with default settings", () => {
  it("a persona fine-tuned on gpt-4.1-mini answers with gpt-6-luna at once, by its rules", async () => {
    defaults();
    onDay("2027-01-15"); // before the token is signed: it is valid on that day
    const alice = await createUser("alice");
    const { id: modelId } = await completedModel(alice.id, { base_model: "gpt-4.1-mini-2025-04-14" });

    const { status, json } = await send(alice, modelId, { message: "Are you still there?", temperature: 0.5, maxTokens: 300 });

    expect(status).toBe(200);
    expect(json).toMatchObject({ success: true, usingFallback: true });
    expect(requestedModels()).toEqual(["gpt-6-luna"]); // the dead fine-tune was never asked
    expect(sim.chatRequests[0]).toMatchObject({ max_completion_tokens: 300, reasoning_effort: "none", temperature: 0.5 });
    expect(sim.chatRequests[0]).not.toHaveProperty("max_tokens");
    expect((await modelRow(modelId)).fine_tuned_model_retired_at).toBeInstanceOf(Date);
  });

  it("streams from gpt-6-luna too", async () => {
    defaults();
    onDay("2027-01-15"); // before the token is signed: it is valid on that day
    const alice = await createUser("alice");
    const { id: modelId } = await completedModel(alice.id, { base_model: "gpt-4.1-mini-2025-04-14" });

    const response = await chat(chatRequest(alice, modelId, { message: "Stream it", stream: true }));
    const { status } = response;
    const text = await response.text();

    expect(status).toBe(200);
    expect(text).toContain("event: done");
    expect(requestedModels()).toEqual(["gpt-6-luna"]);
  });

  it("the day before, the fine-tune still answers, with max_tokens as its family takes", async () => {
    defaults();
    onDay("2027-01-13"); // before the token is signed: it is valid on that day
    const alice = await createUser("alice");
    const { id: modelId, fineTune } = await completedModel(alice.id, { base_model: "gpt-4.1-mini-2025-04-14" });

    const { json } = await send(alice, modelId, { message: "Hello", maxTokens: 200 });

    expect(json.usingFallback).toBe(false);
    expect(requestedModels()).toEqual([fineTune]);
    expect(sim.chatRequests[0]).toMatchObject({ max_tokens: 200 });
    expect(sim.chatRequests[0]).not.toHaveProperty("reasoning_effort");
  });
});
