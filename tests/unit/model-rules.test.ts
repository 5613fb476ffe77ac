import { describe, expect, it } from "vitest";
import { daysUntil, isNearShutdown, isShutDown } from "../../shared/llm/model-rules.ts";
import { anthropicRulesFor } from "../../shared/providers/anthropic/model-rules.ts";
import { messagesRequest, OPENING_CUE } from "../../shared/providers/anthropic/messages.ts";
import { openAIRulesFor, parametersFor, reasoningEffortsFor } from "../../shared/providers/openai/model-rules.ts";

describe("model rules", () => {
  it("a model is dead from its shutdown day on, and near it for the 30 days before", () => {
    const entry = { shutdownDate: "2027-01-14" };
    expect(isShutDown(entry, new Date("2027-01-13T23:59:59Z"))).toBe(false);
    expect(isShutDown(entry, new Date("2027-01-14T00:00:00Z"))).toBe(true);
    expect(isNearShutdown(entry, new Date("2026-12-14T12:00:00Z"))).toBe(false);
    expect(isNearShutdown(entry, new Date("2026-12-15T00:00:00Z"))).toBe(true);
    expect(daysUntil("2027-01-14", new Date("2026-12-01T20:00:00Z"))).toBe(44);
    expect(isShutDown({ shutdownDate: null }, new Date("2099-01-01"))).toBe(false);
  });

  it("OpenAI: gpt-5.1 and later get max_completion_tokens, effort none and temperature", () => {
    for (const model of ["gpt-6-luna", "gpt-5.1", "gpt-5.2-2025-12-11", "gpt-10"]) {
      expect(parametersFor(openAIRulesFor(model), { model, maxTokens: 100, temperature: 0.5 }), model)
        .toEqual({ max_completion_tokens: 100, temperature: 0.5, reasoning_effort: "none" });
    }
    // With another effort, temperature is not sent (the model would refuse it).
    expect(parametersFor(openAIRulesFor("gpt-6-luna"), { model: "gpt-6-luna", maxTokens: 100, temperature: 0.5, reasoningEffort: "low" }))
      .toEqual({ max_completion_tokens: 100, reasoning_effort: "low" });
  });

  it("OpenAI: gpt-5, -mini and -nano never get 'none': the least they take is 'minimal', without temperature", () => {
    for (const model of ["gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5-mini-2025-08-07", "ft:gpt-5-mini:org:sv:abc"]) {
      expect(parametersFor(openAIRulesFor(model), { model, maxTokens: 100, temperature: 0.5 }), model)
        .toEqual({ max_completion_tokens: 100, reasoning_effort: "minimal" });
    }
    expect(parametersFor(openAIRulesFor("gpt-5"), { model: "gpt-5", reasoningEffort: "low" })).toEqual({ reasoning_effort: "low" });
    expect(parametersFor(openAIRulesFor("gpt-5-pro"), { model: "gpt-5-pro" })).toEqual({ reasoning_effort: "high" });
  });

  it("OpenAI: the o-series takes low to high: 'none' and 'minimal' become 'low'", () => {
    for (const model of ["o1", "o3", "o3-mini", "o4-mini"]) {
      expect(parametersFor(openAIRulesFor(model), { model, maxTokens: 100, temperature: 0.5 }), model)
        .toEqual({ max_completion_tokens: 100, reasoning_effort: "low" });
      expect(reasoningEffortsFor(model)).toEqual(["low", "medium", "high"]);
    }
    expect(parametersFor(openAIRulesFor("o3"), { model: "o3", reasoningEffort: "minimal" })).toEqual({ reasoning_effort: "low" });
    expect(parametersFor(openAIRulesFor("o3"), { model: "o3", reasoningEffort: "high" })).toEqual({ reasoning_effort: "high" });
  });

  it("OpenAI: gpt-4.x and their fine-tunes keep max_tokens and temperature, no effort", () => {
    for (const model of ["gpt-4.1-mini-2025-04-14", "ft:gpt-4.1-mini-2025-04-14:org:sv:abc", "gpt-4o"]) {
      expect(parametersFor(openAIRulesFor(model), { model, maxTokens: 100, temperature: 0.5 }), model)
        .toEqual({ max_tokens: 100, temperature: 0.5 });
    }
  });

  it("Anthropic: no model takes temperature (API 2026-10-21); system turns become the system parameter", () => {
    expect(anthropicRulesFor("claude-opus-4-7").temperature).toBe("refused");
    expect(anthropicRulesFor("claude-sonnet-5-5").temperature).toBe("refused");
    const messages = [
      { role: "system" as const, content: "You are Ada." },
      { role: "user" as const, content: "Hi" },
    ];
    expect(messagesRequest({ model: "claude-sonnet-5-5", messages, temperature: 0.4 } as never)).toEqual({
      model: "claude-sonnet-5-5",
      max_tokens: 1024,
      system: "You are Ada.",
      messages: [{ role: "user", content: "Hi" }],
    });
  });

  it("Anthropic: a conversation that opens with the persona's greeting starts with a user turn", () => {
    const request = messagesRequest({
      model: "claude-sonnet-5-5",
      messages: [
        { role: "system", content: "You are Ada." },
        { role: "assistant", content: "Good evening, reader." },
        { role: "user", content: "Hello" },
      ],
    });
    expect(request.messages).toEqual([
      { role: "user", content: OPENING_CUE },
      { role: "assistant", content: "Good evening, reader." },
      { role: "user", content: "Hello" },
    ]);
  });

  it("Anthropic: consecutive turns of one role go as one turn", () => {
    const request = messagesRequest({
      model: "claude-sonnet-5-5",
      messages: [
        { role: "system", content: "You are Ada." },
        { role: "user", content: "[Reader] Hello both" },
        { role: "user", content: "[Byron] Good evening" },
        { role: "assistant", content: "Welcome." },
        { role: "assistant", content: "Do sit." },
        { role: "user", content: "[Reader] Thanks" },
      ],
    });
    expect(request.messages).toEqual([
      { role: "user", content: "[Reader] Hello both\n\n[Byron] Good evening" },
      { role: "assistant", content: "Welcome.\n\nDo sit." },
      { role: "user", content: "[Reader] Thanks" },
    ]);
  });
});
