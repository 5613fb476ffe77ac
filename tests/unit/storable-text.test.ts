import { describe, expect, it } from "vitest";
import { characterCardSchema } from "../../shared/models/card-schemas.ts";
import { modelFromCard } from "../../shared/models/character-card.ts";
import { storableText, truncateText, unstorableTextIssues } from "../../shared/models/text.ts";
import { validateTrainingLine } from "../../shared/training/jsonl.ts";
import { parseTranscript } from "../../shared/transcripts/import.ts";
import { chapterTitle } from "../../shared/books/chapters.ts";

// Text Postgres cannot store (NUL, lone surrogates) is refused or cleaned before any write, and
// no cut of a text leaves half an emoji behind.
describe("storable text", () => {
  it("truncateText never splits a surrogate pair", () => {
    expect(truncateText("ab😀cd", 3)).toBe("ab");
    expect(truncateText("ab😀cd", 4)).toBe("ab😀");
    expect(truncateText("abc", 10)).toBe("abc");
    expect(chapterTitle(`${"x".repeat(199)}😀 more`, "fallback")).toBe("x".repeat(199));
  });

  it("storableText and unstorableTextIssues name NUL and lone surrogates", () => {
    expect(storableText(10).safeParse("ok 😀").success).toBe(true);
    expect(storableText(10).safeParse("a\ud800").error?.issues[0].message).toBe("Must be valid Unicode (it holds a lone surrogate)");
    expect(storableText(10).safeParse("a\u0000").error?.issues[0].message).toBe("Must not contain the NUL character");
    const deep = JSON.parse("[".repeat(100_000) + '"\\u0000"' + "]".repeat(100_000));
    const issues = unstorableTextIssues(deep);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toHaveLength(100_000);
  });

  it("an imported transcript or training file with such text is refused with its line", () => {
    const line = (isUser: boolean, mes: string) => JSON.stringify({ name: isUser ? "You" : "Mara", is_user: isUser, mes });
    const refusal = (() => {
      try {
        parseTranscript([line(true, "Hello"), line(false, "Hi \u0000 there")].join("\n"));
      } catch (error) {
        return error as { status: number; options: { details: unknown } };
      }
    })();
    expect(refusal?.status).toBe(422);
    expect(refusal?.options.details).toContainEqual({ path: ["transcript", 2], message: "line 2: mes: Must not contain the NUL character" });
    expect(() => parseTranscript([line(true, "\ud800"), line(false, "Hi")].join("\n"))).toThrow(expect.objectContaining({ status: 422 }));
    const training = '{"messages":[{"role":"user","content":"hi\\ud800"},{"role":"assistant","content":"yo"}]}';
    expect(validateTrainingLine(training, 3)).toEqual([{ line: 3, problem: "message 1 content: Must be valid Unicode (it holds a lone surrogate)" }]);
  });

  it("a card's text is cleaned of lone surrogates and cut without splitting an emoji", () => {
    const card = characterCardSchema.parse({
      spec: "chara_card_v2",
      data: { name: "Jane\ud800", description: `${"d".repeat(3998)}😀😀 and more` },
    });
    const model = modelFromCard(card, { quick: true, isPublic: false, baseModel: "gpt-4.1-mini-2025-04-14" });
    expect(model.name).toBe("Jane\ufffd");
    expect(model.description.isWellFormed()).toBe(true);
    expect(model.description.endsWith("d…")).toBe(true);
  });
});
