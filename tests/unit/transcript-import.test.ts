import { describe, expect, it } from "vitest";
import type { FieldIssue, HttpError } from "../../shared/errors.ts";
import { parseTranscript } from "../../shared/transcripts/import.ts";
import { sillyTavernFixture } from "../support/sillytavern-chat.ts";

const line = (value: unknown) => JSON.stringify(value);
const refusal = (jsonl: string) => {
  try {
    parseTranscript(jsonl);
  } catch (error) {
    return ((error as HttpError).options.details as FieldIssue[]).map((issue) => issue.message);
  }
  throw new Error("accepted");
};

describe("parseTranscript", () => {
  for (const file of ["sillytavern-2024.jsonl", "sillytavern-integrity.jsonl"]) {
    it(`reads a chat SillyTavern saved (${file}): header, greeting, swipes, narrator, image-only`, () => {
      expect(parseTranscript(sillyTavernFixture(file))).toEqual({
        opening: "You find me at Netherfield, walking the long way round the shrubbery.",
        exchanges: [
          { user_message: "Do you dance, Miss Bennet?", ai_response: "Only when the partner is worth the trouble." },
          { user_message: "And Mr Darcy?", ai_response: "Mr Darcy dances with nobody he has not known for a twelvemonth." },
        ],
        skipped: { system: 1, empty: 1, swipes: 2 },
      });
    });
  }

  it("knows a header by its fields, even with chat_metadata alone, and only on the first line", () => {
    const messages = [line({ name: "You", is_user: true, mes: "Hi" }), line({ name: "P", is_user: false, mes: "Hello" })];
    expect(parseTranscript([line({ chat_metadata: { integrity: "x" } }), ...messages].join("\n")).exchanges).toHaveLength(1);
    expect(refusal([...messages, line({ user_name: "You", character_name: "P", chat_metadata: {} })].join("\n")))
      .toEqual(["line 3: a second header line: a transcript holds one chat"]);
  });

  it("joins consecutive lines of one side, and takes the chosen swipe over mes", () => {
    const parsed = parseTranscript([
      line({ name: "You", is_user: true, mes: "One." }),
      line({ name: "You", is_user: true, mes: "Two." }),
      line({ name: "P", is_user: false, mes: "stale", swipes: ["a", "b"], swipe_id: 0 }),
      line({ name: "P", is_user: false, mes: "More." }),
    ].join("\r\n"));
    expect(parsed.exchanges).toEqual([{ user_message: "One.\n\nTwo.", ai_response: "a\n\nMore." }]);
    expect(parsed.opening).toBeNull();
    expect(parsed.skipped).toEqual({ system: 0, empty: 0, swipes: 1 });
  });

  it("keeps the persona's lines before the reader's first as one opening, past narrator lines", () => {
    const parsed = parseTranscript([
      line({ name: "Narrator", is_user: false, is_system: true, mes: "[Netherfield.]" }),
      line({ name: "P", is_user: false, mes: "Welcome." }),
      line({ name: "P", is_user: false, mes: "Sit down." }),
      line({ name: "You", is_user: true, mes: "Thank you." }),
      line({ name: "P", is_user: false, mes: "Tea?" }),
    ].join("\n"));
    expect(parsed.opening).toBe("Welcome.\n\nSit down.");
    expect(parsed.exchanges).toEqual([{ user_message: "Thank you.", ai_response: "Tea?" }]);
    expect(parsed.skipped).toEqual({ system: 1, empty: 0, swipes: 0 });
  });

  it("refuses bad lines by number, a last message without reply, and a chat of greetings only", () => {
    expect(refusal(["{", line({ name: "You", is_user: "yes", mes: "x" })].join("\n")))
      .toEqual(["line 1: is not valid JSON", "line 2: is_user: Invalid input: expected boolean, received string"]);
    expect(refusal([line({ name: "You", is_user: true, mes: "Anyone?" })].join("\n")))
      .toEqual(["line 1: the reader's last message has no reply from the persona"]);
    expect(refusal(line({ name: "P", is_user: false, mes: "Welcome." }))).toEqual(["has no messages"]);
  });
});
