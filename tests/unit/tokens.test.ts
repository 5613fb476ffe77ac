import { describe, expect, it } from "vitest";
import { estimateMessageTokens, estimateTokens, TOKENS_PER_MESSAGE } from "../../shared/llm/tokens.ts";

describe("estimateTokens", () => {
  it("estimates about a quarter of the characters for English, with a margin", () => {
    expect(estimateTokens("a".repeat(400))).toBe(110);
    expect(estimateTokens("")).toBe(0);
  });

  it("does not undercount scripts with several bytes per character", () => {
    const japanese = "吾輩は猫である。名前はまだ無い。".repeat(10);
    expect(estimateTokens(japanese)).toBeGreaterThan(japanese.length * 0.8);
  });
});

describe("estimateMessageTokens", () => {
  it("adds the chat format's framing to each message", () => {
    expect(TOKENS_PER_MESSAGE).toBe(4);
    expect(estimateMessageTokens("")).toBe(4);
    expect(estimateMessageTokens("abcd")).toBe(6);
    expect(estimateMessageTokens("x".repeat(400))).toBe(114);
  });
});
