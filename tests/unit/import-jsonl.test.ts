import { describe, expect, it } from "vitest";
import { importTrainingJsonl, MAX_IMPORTED_EXAMPLES } from "../../shared/training/import-jsonl.ts";

const line = (messages: unknown[]) => JSON.stringify({ messages });
const exchange = [
  { role: "system", content: "You are Anne Elliot." },
  { role: "user", content: "Were you persuaded?" },
  { role: "assistant", content: "I was, and I was wrong to be.", weight: 1 },
];

describe("importing OpenAI chat JSONL as examples", () => {
  it("keeps the conversation without the system prompt and weights, one per line", () => {
    const imported = importTrainingJsonl(`${line(exchange)}\n${line(exchange.slice(1))}\n`);
    expect(imported).toEqual({
      ok: true,
      conversations: [
        [{ role: "user", content: "Were you persuaded?" }, { role: "assistant", content: "I was, and I was wrong to be." }],
        [{ role: "user", content: "Were you persuaded?" }, { role: "assistant", content: "I was, and I was wrong to be." }],
      ],
    });
  });

  it("names every bad line, by number, with the provider's rules", () => {
    const imported = importTrainingJsonl([
      line(exchange),
      "[]",
      line([{ role: "tool", content: "x" }, { role: "assistant", content: "y" }]),
      line([exchange[0], exchange[2]]),
    ].join("\n"));
    expect(imported).toEqual({
      ok: false,
      problems: [
        { line: 2, problem: "must be a JSON object" },
        { line: 3, problem: 'message 1 has an unsupported role "tool" (use system, user or assistant)' },
        { line: 4, problem: "must have at least one user message besides the system prompt" },
      ],
    });
  });

  it("refuses an empty import and one over the limit", () => {
    expect(importTrainingJsonl("")).toEqual({ ok: false, problems: [{ line: null, problem: "has no examples" }] });
    const many = Array.from({ length: MAX_IMPORTED_EXAMPLES + 1 }, () => line(exchange)).join("\n");
    expect(importTrainingJsonl(many)).toMatchObject({ ok: false, problems: [{ line: null }] });
  });
});
