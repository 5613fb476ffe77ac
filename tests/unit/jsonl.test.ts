import { describe, expect, it } from "vitest";
import {
  buildTrainingJsonl,
  estimateTrainingCost,
  MAX_TOKENS_PER_EXAMPLE,
  MIN_TRAINING_EXAMPLES,
  type TrainingExample,
  TrainingDataError,
  validateTrainingJsonl,
  validateTrainingLine,
} from "../../shared/training/jsonl.ts";
import { estimateTokens } from "../../shared/llm/tokens.ts";

const STYLE_GUIDE = "You are Mary Shelley, the author of \"Frankenstein\". Stay in character.";

function examples(count: number): TrainingExample[] {
  return Array.from({ length: count }, (_, index) => ({
    topic: "inspiration_and_process",
    question: `Question number ${index + 1} about the wet summer at the Villa Diodati?`,
    answer: `Answer number ${index + 1}: the rain kept us indoors, and so we told ghost stories.`,
  }));
}

const goodLine = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    messages: [
      { role: "system", content: STYLE_GUIDE },
      { role: "user", content: "Where did the idea come from?" },
      { role: "assistant", content: "From a waking dream, one night by the lake." },
    ],
    ...extra,
  });

const lineWith = (messages: unknown) => JSON.stringify({ messages });

/** A file of `total` valid lines, with the given lines put at their 1-based positions. */
function fileWith(replacements: Record<number, string>, total = MIN_TRAINING_EXAMPLES): string {
  const lines = Array.from({ length: total }, (_, index) => replacements[index + 1] ?? goodLine());
  return lines.join("\n") + "\n";
}

describe("buildTrainingJsonl", () => {
  it("writes one system/user/assistant conversation per example and a valid file", () => {
    const input = examples(12);
    const { jsonl, lines, estimatedTokens } = buildTrainingJsonl(STYLE_GUIDE, input);

    expect(lines).toBe(12);
    expect(jsonl.endsWith("\n")).toBe(true);
    const parsed = jsonl.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(parsed).toHaveLength(12);
    expect(parsed[3]).toEqual({
      messages: [
        { role: "system", content: STYLE_GUIDE },
        { role: "user", content: input[3].question },
        { role: "assistant", content: input[3].answer },
      ],
    });
    expect(validateTrainingJsonl(jsonl)).toEqual([]);
    // Each example costs at least its text's estimate plus the per-message overhead.
    const textTokens = input.reduce(
      (sum, example) =>
        sum + estimateTokens(STYLE_GUIDE) + estimateTokens(example.question) + estimateTokens(example.answer),
      0,
    );
    expect(estimatedTokens).toBeGreaterThan(textTokens);
    expect(estimatedTokens).toBeLessThan(textTokens + 12 * 20);
  });

  it("refuses to build a file with fewer than 10 examples", () => {
    expect(() => buildTrainingJsonl(STYLE_GUIDE, examples(9))).toThrow(TrainingDataError);
    expect(() => buildTrainingJsonl(STYLE_GUIDE, examples(9))).toThrow(/9 examples; at least 10 are required/);
  });

  it("refuses an example with empty content, naming its line", () => {
    const input = examples(10);
    input[6] = { ...input[6], answer: "   " };
    expect(() => buildTrainingJsonl(STYLE_GUIDE, input)).toThrow(
      /line 7 message 3 must have non-empty string content/,
    );
  });
});

describe("validateTrainingLine", () => {
  it("accepts a valid conversation, with a weight on the assistant message", () => {
    expect(validateTrainingLine(goodLine(), 4)).toEqual([]);
    const weighted = lineWith([
      { role: "user", content: "Hello?" },
      { role: "assistant", content: "Good evening.", weight: 0 },
      { role: "user", content: "Who are you?" },
      { role: "assistant", content: "Mary.", weight: 1 },
    ]);
    expect(validateTrainingLine(weighted)).toEqual([]);
  });

  it.each([
    ["an empty line", "   ", "is empty"],
    ["broken JSON", '{"messages": [', "is not valid JSON"],
    ["a JSON array", "[1, 2]", "must be a JSON object"],
    ["JSON null", "null", "must be a JSON object"],
    ["no messages", JSON.stringify({ prompt: "x" }), 'must have a non-empty "messages" array'],
    ["empty messages", lineWith([]), 'must have a non-empty "messages" array'],
    ["messages not an array", JSON.stringify({ messages: "hello" }), 'must have a non-empty "messages" array'],
  ])("reports %s", (_, line, problem) => {
    expect(validateTrainingLine(line, 5)).toContainEqual({ line: 5, problem });
  });

  it("reports an unknown key beside messages", () => {
    expect(validateTrainingLine(goodLine({ topic: "themes" }), 2)).toEqual([
      { line: 2, problem: 'has an unknown key "topic"' },
    ]);
  });

  it("reports each message rule with the message's position", () => {
    const line = lineWith([
      { role: "system", content: STYLE_GUIDE, topic: "x" },
      { role: "tool", content: "result" },
      { role: "user", content: "" },
      { role: "user", content: 42 },
      "not a message",
      { role: "user", content: "Hi", weight: 1 },
      { role: "assistant", content: "Hello.", weight: 0.5 },
    ]);
    expect(validateTrainingLine(line, 8)).toEqual([
      { line: 8, problem: 'message 1 has an unknown key "topic"' },
      { line: 8, problem: 'message 2 has an unsupported role "tool" (use system, user or assistant)' },
      { line: 8, problem: "message 3 must have non-empty string content" },
      { line: 8, problem: "message 4 must have non-empty string content" },
      { line: 8, problem: "message 5 must be an object" },
      { line: 8, problem: "message 6 may have a weight only on an assistant message, and only 0 or 1" },
      { line: 8, problem: "message 7 may have a weight only on an assistant message, and only 0 or 1" },
    ]);
  });

  it("reports a missing role and a conversation without an assistant message", () => {
    const line = lineWith([{ content: "Who are you?" }, { role: "user", content: "Hello?" }]);
    expect(validateTrainingLine(line, 3)).toEqual([
      { line: 3, problem: "message 1 has an unsupported role null (use system, user or assistant)" },
      { line: 3, problem: "must have at least one assistant message" },
    ]);
  });

  it("reports an example over the per-example token limit, and accepts one just under it", () => {
    // ~2.2 bytes per estimated token (4 bytes per token plus a 10% margin), so this is well over the limit.
    const huge = "a".repeat(MAX_TOKENS_PER_EXAMPLE * 4);
    const problems = validateTrainingLine(
      lineWith([{ role: "user", content: huge }, { role: "assistant", content: "Yes." }]),
      6,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].line).toBe(6);
    expect(problems[0].problem).toMatch(/^is about \d+ tokens, over the limit of 65536 per example$/);

    const large = "a".repeat(Math.floor(((MAX_TOKENS_PER_EXAMPLE - 100) * 4) / 1.1));
    expect(validateTrainingLine(lineWith([{ role: "user", content: large }, { role: "assistant", content: "Yes." }])))
      .toEqual([]);
  });
});

describe("validateTrainingJsonl", () => {
  it("accepts ten valid lines, with or without a trailing newline", () => {
    const file = fileWith({});
    expect(validateTrainingJsonl(file)).toEqual([]);
    expect(validateTrainingJsonl(file.trimEnd())).toEqual([]);
  });

  it("gives each problem the line number where it occurs", () => {
    const file = fileWith({ 3: "{not json", 6: lineWith([{ role: "user", content: "Only a question?" }]) });
    expect(validateTrainingJsonl(file)).toEqual([
      { line: 3, problem: "is not valid JSON" },
      { line: 6, problem: "must have at least one assistant message" },
    ]);
  });

  it("reports an empty line in the middle of the file", () => {
    expect(validateTrainingJsonl(fileWith({ 4: "" }, 11))).toEqual([{ line: 4, problem: "is empty" }]);
  });

  it("reports fewer than 10 examples for the file as a whole", () => {
    expect(validateTrainingJsonl(fileWith({}, 9))).toEqual([
      { line: null, problem: "has 9 examples; at least 10 are required" },
    ]);
    expect(validateTrainingJsonl("")).toEqual([
      { line: null, problem: "has no examples; at least 10 are required" },
    ]);
  });
});

describe("estimateTrainingCost", () => {
  it("prices tokens times epochs at the base model family's rate", () => {
    expect(estimateTrainingCost(100_000, 3, "gpt-4.1-mini-2025-04-14")).toEqual({
      estimatedUsd: 1.5,
      estimatedTrainedTokens: 300_000,
      usdPerMillionTokens: 5,
      pricedAs: "gpt-4.1-mini",
    });
  });

  it.each([
    ["gpt-4.1-2025-04-14", "gpt-4.1", 25],
    ["gpt-4.1-nano-2025-04-14", "gpt-4.1-nano", 1.5],
    ["gpt-4o-2024-08-06", "gpt-4o", 25],
    ["gpt-4o-mini-2024-07-18", "gpt-4o-mini", 3],
    ["ft:gpt-4o-mini-2024-07-18:acme::abc123", "gpt-4o-mini", 3],
    ["GPT-4.1", "gpt-4.1", 25],
    ["some-other-model", "gpt-4.1-mini", 5],
  ])("prices %s as %s", (model, family, price) => {
    const estimate = estimateTrainingCost(1_000_000, 1, model);
    expect(estimate.pricedAs).toBe(family);
    expect(estimate.usdPerMillionTokens).toBe(price);
    expect(estimate.estimatedUsd).toBe(price);
  });

  it("rounds to the four decimals the database stores", () => {
    expect(estimateTrainingCost(12_345, 2, "gpt-4.1-nano").estimatedUsd).toBe(0.037);
    expect(estimateTrainingCost(1_234, 1, "gpt-4o-mini").estimatedUsd).toBe(0.0037);
  });
});
