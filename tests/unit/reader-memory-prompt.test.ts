import { describe, expect, it } from "vitest";
import { cutAtWord } from "../../shared/chat/memories.ts";
import { buildReaderPrompt, memoriesWithin } from "../../shared/chat/reader-prompt.ts";
import { SUMMARY_INSTRUCTIONS, summaryRequest } from "../../shared/chat/summary.ts";
import { extractiveSummary } from "../../supabase/local/openai-simulator/summary.ts";

describe("the reader's part of the prompt", () => {
  it("takes memories in order until the budget is spent, never skipping to a smaller one", () => {
    const memories = [{ text: "a".repeat(40) }, { text: "b".repeat(40) }, { text: "c" }];
    // 40 characters estimate to 11 tokens, plus 2 each; "c" would fit after the first, but comes later.
    expect(memoriesWithin(memories, 26)).toEqual(memories.slice(0, 2));
    expect(memoriesWithin(memories, 25)).toEqual(memories.slice(0, 1));
  });

  it("says who the reader is, the character they play, the memories and the summary", () => {
    const prompt = buildReaderPrompt({
      persona: { id: "p", name: "Anne", description: "Quiet.", plays: { entityName: "Anne Elliot", description: "A baronet's daughter." } },
      summary: { text: "- The reader said: hello", coversThrough: 3 },
    }, [{ text: "My dog is Biscuit." }]);
    expect(prompt).toBe(
      "You are talking with Anne, who is Anne Elliot of your own story: answer them as Anne Elliot, as you would in the story. " +
        "Anne Elliot: A baronet's daughter. Quiet.\n\n" +
        "What the reader asked you to remember (most recent first):\n- My dog is Biscuit.\n\n" +
        "Summary of the earlier part of this conversation (older than the messages that follow):\n- The reader said: hello",
    );
    expect(buildReaderPrompt({ persona: null, summary: null }, [])).toBeUndefined();
  });

  it("cuts a pinned reply at a word and marks the cut", () => {
    expect(cutAtWord("short reply", 20)).toBe("short reply");
    expect(cutAtWord("one two three four five", 15)).toBe("one two three…");
  });
});

describe("the simulator's summary", () => {
  it("keeps the earlier summary and what the reader said, earliest first, within the token limit", () => {
    const request = summaryRequest("- The reader said: my sister is Philippa", [
      { user: "I keep bees.", assistant: "How sweet." },
      { user: "x".repeat(200), assistant: "Long." },
    ]);
    const messages = [{ role: "system", content: SUMMARY_INSTRUCTIONS }, { role: "user", content: request }];
    expect(extractiveSummary(messages, 30)).toBe("- The reader said: my sister is Philippa\n- The reader said: I keep bees.");
  });
});
