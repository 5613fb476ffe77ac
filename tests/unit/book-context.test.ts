import { describe, expect, it } from "vitest";
import { buildBookContext, type TurnBook } from "../../shared/chat/book-context.ts";

const book = { id: "b", title: "The Lantern Keeper", blurb: "A keeper and her lantern." };
const passage = (id: number, chapter: number, content: string) => ({ id, chapter, position: 1, content });

describe("buildBookContext", () => {
  it("without a place: the blurb (else the model's description) and no passage", () => {
    const turn: TurnBook = { book, reached: null, passages: [] };
    const { prompt, citations } = buildBookContext(turn, 1000, "From the model.");
    expect(prompt).toContain("has not said how far they have read");
    expect(prompt).toContain("A keeper and her lantern.");
    expect(prompt).toMatch(/Reveal nothing of the story beyond that description/);
    expect(citations).toEqual([]);
    expect(buildBookContext({ ...turn, book: { ...book, blurb: null } }, 1000, "From the model.").prompt).toContain("From the model.");
  });

  it("with a place: says it, forbids later events, and keeps the best passages that fit the budget", () => {
    const turn: TurnBook = {
      book,
      reached: { chapter: 3, percent: 40, title: "The Storm Warning", source: "progress", chapters: 12 },
      passages: [passage(7, 3, "a".repeat(400)), passage(5, 2, "b".repeat(4000)), passage(2, 1, "c".repeat(200))],
    };
    const { prompt, citations } = buildBookContext(turn, 200, null);
    expect(prompt).toContain('who is 40% of the way through chapter 3 ("The Storm Warning")');
    expect(prompt).toMatch(/Never reveal, hint at or confirm anything that happens after that point/);
    // The second passage does not fit; the third still does.
    expect(citations.map((c) => c.passageId)).toEqual([7, 2]);
    expect(prompt).toContain(`[chapter 3] ${"a".repeat(400)}`);
    expect(prompt).not.toContain("bbbb");
    expect(citations[0].excerpt).toHaveLength(200);
    expect(citations[0].excerpt.endsWith("…")).toBe(true);
  });

  it("a whole chapter read, and a reader past the last chapter", () => {
    const reached = { chapter: 2, percent: null, title: null, source: "request" as const, chapters: 12 };
    expect(buildBookContext({ book, reached, passages: [] }, 100, null).prompt).toContain("has read up to the end of chapter 2");
    const finished = buildBookContext({ book, reached: { ...reached, chapter: 13 }, passages: [] }, 100, null).prompt;
    expect(finished).toContain("has finished the book");
    expect(finished).not.toMatch(/Never reveal/);
  });
});
