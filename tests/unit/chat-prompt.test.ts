import { describe, expect, it } from "vitest";
import { nextQuotaReset } from "../../shared/chat/quota.ts";
import { buildChatMessages, type Exchange, personaGuard } from "../../shared/chat/prompt.ts";
import { estimateMessageTokens, TOKENS_PER_MESSAGE } from "../../shared/llm/tokens.ts";

const styleGuide = "You are Ada Byron, the author of Engines. Speak in long, precise sentences.";

/** An exchange whose estimated cost is exactly `tokens` (two ASCII messages of `tokens/2` each). */
function exchangeCosting(tokens: number, label: string): Exchange {
  // The most characters whose estimate (11 tokens per 40 bytes, rounded up) is the text's share.
  const chars = Math.floor(((tokens / 2 - TOKENS_PER_MESSAGE) * 40) / 11);
  return { user: label.padEnd(chars, "u"), assistant: label.padEnd(chars, "a") };
}

function build(history: Exchange[], historyTokenBudget: number, message = "What came first, the title or the plot?") {
  return buildChatMessages({ styleGuide, personaName: "Ada Byron", history, message, historyTokenBudget });
}

describe("personaGuard", () => {
  it("names the persona and forbids stepping out of character", () => {
    const guard = personaGuard("Elizabeth Bennet");
    expect(guard).toContain("Stay in character as Elizabeth Bennet");
    expect(guard).toMatch(/Never say you are an AI/);
  });
});

describe("buildChatMessages", () => {
  it("sends the greeting as the persona's opening turn while the conversation's start fits", () => {
    const greeting = "Good evening. Sit down, and tell me what brought you to the engine house.";
    const messages = buildChatMessages({
      styleGuide, personaName: "Ada Byron", history: [exchangeCosting(20, "one")], message: "Why looms?",
      historyTokenBudget: 3000, greeting,
    });
    expect(messages.map((message) => message.role)).toEqual(["system", "assistant", "user", "assistant", "user"]);
    expect(messages[1]).toEqual({ role: "assistant", content: greeting });
  });

  it("leaves the greeting out once the conversation's start no longer fits the budget", () => {
    const history = [exchangeCosting(20, "one"), exchangeCosting(20, "two")];
    const messages = buildChatMessages({
      styleGuide, personaName: "Ada Byron", history, message: "And now?", historyTokenBudget: 20, greeting: "Hello.",
    });
    expect(messages.map((message) => message.content)).not.toContain("Hello.");
    expect(messages).toHaveLength(4);
  });

  it("without history: the style guide with the persona guard as system prompt, then the message", () => {
    const messages = build([], 3000, "Who are you?");
    expect(messages).toEqual([
      { role: "system", content: `${styleGuide}\n\n${personaGuard("Ada Byron")}` },
      { role: "user", content: "Who are you?" },
    ]);
  });

  it("sends the whole history oldest first when it fits, and the new message last", () => {
    const history = [exchangeCosting(20, "one"), exchangeCosting(20, "two"), exchangeCosting(20, "three")];
    const messages = build(history, 60, "And now?");
    expect(messages.map((message) => message.role)).toEqual(
      ["system", "user", "assistant", "user", "assistant", "user", "assistant", "user"],
    );
    expect(messages.slice(1, -1).map((message) => message.content)).toEqual(
      history.flatMap((exchange) => [exchange.user, exchange.assistant]),
    );
    expect(messages.at(-1)).toEqual({ role: "user", content: "And now?" });
  });

  it("keeps the newest exchanges that fit the budget and drops the oldest", () => {
    const history = ["one", "two", "three", "four", "five"].map((label) => exchangeCosting(20, label));
    // 59 tokens: two exchanges (40) fit, a third (60) does not.
    const messages = build(history, 59);
    expect(messages.slice(1, -1)).toEqual([
      { role: "user", content: history[3].user },
      { role: "assistant", content: history[3].assistant },
      { role: "user", content: history[4].user },
      { role: "assistant", content: history[4].assistant },
    ]);
  });

  it("keeps an exchange that fills the budget exactly", () => {
    const history = [exchangeCosting(20, "one"), exchangeCosting(20, "two")];
    expect(build(history, 40)).toHaveLength(1 + 4 + 1);
    expect(build(history, 39)).toHaveLength(1 + 2 + 1);
  });

  it("the estimated cost of what it keeps never exceeds the budget", () => {
    const history = Array.from({ length: 30 }, (_, i) => ({
      user: `question ${i} `.repeat(1 + (i % 7)),
      assistant: `answer ${i} `.repeat(3 + (i % 5)),
    }));
    for (const budget of [0, 15, 100, 333, 1000, 5000]) {
      const kept = build(history, budget).slice(1, -1);
      const cost = kept.reduce((sum, message) => sum + estimateMessageTokens(message.content), 0);
      expect(cost, `budget ${budget}`).toBeLessThanOrEqual(budget);
      // What is kept is the newest run of exchanges, in order: a suffix of the history.
      const expected = history.slice(history.length - kept.length / 2)
        .flatMap((exchange) => [exchange.user, exchange.assistant]);
      expect(kept.map((message) => message.content)).toEqual(expected);
    }
  });

  it("never skips a newer exchange to fit an older one: the history stays contiguous", () => {
    const history = [exchangeCosting(20, "small old"), exchangeCosting(200, "huge newest")];
    // The older one alone would fit; sending it without the newest would misrepresent the conversation.
    expect(build(history, 100)).toHaveLength(2);
  });

  it("a zero budget sends no history at all", () => {
    expect(build([exchangeCosting(20, "one")], 0)).toHaveLength(2);
  });

  it("does not modify the history it was given", () => {
    const history = [exchangeCosting(20, "one"), exchangeCosting(20, "two")];
    const copy = structuredClone(history);
    build(history, 1000);
    expect(history).toEqual(copy);
  });
});

describe("nextQuotaReset", () => {
  it("is the next midnight UTC", () => {
    expect(nextQuotaReset(new Date("2026-03-14T10:15:00Z")).toISOString()).toBe("2026-03-15T00:00:00.000Z");
    expect(nextQuotaReset(new Date("2026-03-14T23:59:59.999Z")).toISOString()).toBe("2026-03-15T00:00:00.000Z");
  });

  it("at midnight exactly, is the following midnight (always after now)", () => {
    expect(nextQuotaReset(new Date("2026-03-15T00:00:00.000Z")).toISOString()).toBe("2026-03-16T00:00:00.000Z");
  });

  it("rolls over months, years and leap days", () => {
    expect(nextQuotaReset(new Date("2026-12-31T18:00:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(nextQuotaReset(new Date("2028-02-28T12:00:00Z")).toISOString()).toBe("2028-02-29T00:00:00.000Z");
    expect(nextQuotaReset(new Date("2026-04-30T05:00:00Z")).toISOString()).toBe("2026-05-01T00:00:00.000Z");
  });

  it("uses UTC whatever the offset the time was written with", () => {
    // 20:00 on the 14th in New York is 01:00 on the 15th in UTC.
    expect(nextQuotaReset(new Date("2026-03-14T20:00:00-05:00")).toISOString()).toBe("2026-03-16T00:00:00.000Z");
  });

  it("defaults to now: within the next 24 hours, at midnight", () => {
    const before = Date.now();
    const reset = nextQuotaReset();
    expect(reset.getTime()).toBeGreaterThan(before);
    expect(reset.getTime() - before).toBeLessThanOrEqual(24 * 3_600_000);
    expect(reset.getUTCHours() + reset.getUTCMinutes() + reset.getUTCSeconds() + reset.getUTCMilliseconds()).toBe(0);
  });
});
