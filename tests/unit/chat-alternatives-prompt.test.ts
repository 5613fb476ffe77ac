import { describe, expect, it } from "vitest";
import { joinContinuation, messagesForNewReply } from "../../shared/chat/alternatives.ts";
import type { ChatMessage } from "../../shared/llm/chat.ts";

const prompt: ChatMessage[] = [
  { role: "system", content: "You are Emma." },
  { role: "user", content: "Hello?" },
];

describe("messagesForNewReply", () => {
  it("puts a regeneration's hint in this request's system prompt only", () => {
    const messages = messagesForNewReply(prompt, { action: "regenerate", hint: "Be brief.", temperature: 1, maxTokens: 100 }, "");
    expect(messages[0].content).toBe("You are Emma.\n\nFor your next reply only, the reader asks: Be brief.");
    expect(messages.slice(1)).toEqual(prompt.slice(1));
    expect(prompt[0].content).toBe("You are Emma.");
  });

  it("shows a cut-off reply and asks the model to go on from it", () => {
    const messages = messagesForNewReply(prompt, { action: "continue", maxTokens: 100 }, "It was a dark and");
    expect(messages.slice(0, 3)).toEqual([...prompt, { role: "assistant", content: "It was a dark and" }]);
    expect(messages[3]).toMatchObject({ role: "user" });
    expect(messages[3].content).toMatch(/continue it exactly where it stopped/i);
  });

  it("sends an edit's prompt as built (the new message is already in it)", () => {
    expect(messagesForNewReply(prompt, { action: "edit", message: "Hello?", temperature: 1, maxTokens: 100 }, "x")).toBe(prompt);
  });
});

describe("joinContinuation", () => {
  it("puts a space between words and none before punctuation or after a space", () => {
    expect(joinContinuation("It was a dark and", "stormy night.")).toBe("It was a dark and stormy night.");
    expect(joinContinuation("It was late", ", and cold.")).toBe("It was late, and cold.");
    expect(joinContinuation("It was late. ", "Then")).toBe("It was late. Then");
    expect(joinContinuation("Done.", "")).toBe("Done.");
  });
});
