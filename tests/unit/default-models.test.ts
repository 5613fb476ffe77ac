import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_CHAT_MODELS, DEFAULT_TEACHER_MODELS } from "../../shared/env.ts";
import { newestFirst, readModelName } from "../../shared/llm/model-family.ts";

// Every default chat and teacher model is one its provider's installed SDK names, read from the
// SDK's own type definitions (scripts/checks/default-models.ts checks the same under deno check).

const sdk = (path: string) => readFileSync(new URL(`../../node_modules/${path}`, import.meta.url), "utf8");

/** The string literals of an exported type alias `name` in a .d.ts file. */
function literalsOf(declarations: string, name: string): string[] {
  const start = declarations.indexOf(`export type ${name} =`);
  expect(start, `${name} in the SDK's types`).toBeGreaterThanOrEqual(0);
  const body = declarations.slice(start, declarations.indexOf(";", start));
  return [...body.matchAll(/'([^']+)'/g)].map((match) => match[1]);
}

const anthropicModels = literalsOf(sdk("@anthropic-ai/sdk/resources/messages/messages.d.ts"), "Model");
const anthropicDeprecated = Object.keys(
  (await import(new URL("../../node_modules/@anthropic-ai/sdk/internal/data/deprecated-models.mjs", import.meta.url).href))
    .DEPRECATED_MODELS as Record<string, string>,
);
const openAIModels = literalsOf(sdk("openai/resources/shared.d.ts"), "ChatModel");
/** Newer than the pinned openai 6.49.0 (2026-07-23): in `ChatModel` from openai 7.0.0, which needs Node 22. */
const NEWER_THAN_PINNED_OPENAI = ["gpt-6-luna"];

const defaults = [DEFAULT_CHAT_MODELS, DEFAULT_TEACHER_MODELS].flatMap((byProvider) => Object.entries(byProvider));

describe("default models are current in their provider's SDK", () => {
  it("reads the SDKs' lists", () => {
    expect(anthropicModels.length).toBeGreaterThan(5);
    expect(openAIModels.length).toBeGreaterThan(20);
  });

  it.each(defaults.filter(([provider]) => provider === "anthropic"))("%s: %s is in Model and not in DEPRECATED_MODELS", (_, model) => {
    expect(anthropicModels).toContain(model);
    expect(anthropicDeprecated).not.toContain(model);
  });

  it("Anthropic: the default is the newest current Sonnet the SDK names", () => {
    const sonnets = anthropicModels.filter((id) => readModelName(id).family === "claude-sonnet-*" && !anthropicDeprecated.includes(id));
    expect(DEFAULT_CHAT_MODELS.anthropic).toBe(sonnets.sort(newestFirst)[0]);
  });

  it.each(defaults.filter(([provider]) => provider === "openai"))("%s: %s is in ChatModel (or newer than the pinned SDK)", (_, model) => {
    expect([...openAIModels, ...NEWER_THAN_PINNED_OPENAI]).toContain(model);
  });

  it("an exception for a model newer than the pinned openai goes once the SDK names it", () => {
    expect(openAIModels.filter((model) => NEWER_THAN_PINNED_OPENAI.includes(model))).toEqual([]);
  });

  it("every chat provider with defaults is checked here", () => {
    expect([...new Set(defaults.map(([provider]) => provider))].sort()).toEqual(["anthropic", "openai"]);
  });
});
