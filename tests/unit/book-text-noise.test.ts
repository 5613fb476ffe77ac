import { describe, expect, it } from "vitest";
import { toBookChapters } from "../../shared/books/chapters.ts";
import { parsePlainTextBook } from "../../shared/books/parse-text.ts";
import { withoutNoise, withoutNoiseParagraphs } from "../../shared/books/text-noise.ts";

// Excerpts of the fixture books (tests/fixtures/epub22) as their text reads once copied out of an
// EPUB reader into plain text: the note number stays glued, the back-link and page numbers stay.
const FRANKENSTEIN_STANZA = "Because he knows a frightful fiend\nDoth close behind him tread.”1";
const FRANKENSTEIN_NOTE = "Coleridge’s “Ancient Mariner.” ↩";
const CHILDRENS_LITERATURE = [
  "SECTION IV FAIRY STORIES—MODERN FANTASTIC TALES",
  "CHAPTER I. INTRODUCTORY",
  "171",
  "The difficulties of classification are very apparent here, and once more it must be noted that illustrative " +
  "and practical purposes rather than logical ones are served by the arrangement adopted.",
  "[172]",
  "Many modern writers have tried to recapture some of the power of the folk tale by imitating its method.",
].join("\n\n");

describe("page noise in a book's text", () => {
  it("drops a note number glued to closing punctuation, superscript notes and ↩ back-links", () => {
    expect(withoutNoise(FRANKENSTEIN_STANZA)).toBe("Because he knows a frightful fiend Doth close behind him tread.”");
    expect(withoutNoise(FRANKENSTEIN_NOTE)).toBe("Coleridge’s “Ancient Mariner.”");
    expect(withoutNoise("“My dear fellow,”2 said Sherlock Holmes")).toBe("“My dear fellow,” said Sherlock Holmes");
    expect(withoutNoise("the Swiss diligence.¹ It stopped")).toBe("the Swiss diligence. It stopped");
    expect(withoutNoise("I have ten thousand florins a year [Pg 12] without Greek")).toBe("I have ten thousand florins a year without Greek");
  });

  it("keeps numbers that are words: sums, years, ordinals, names", () => {
    for (const text of ["It cost $5.50 in 1850.", "On the 28th, 1888. 1889 came.", "R2D2 said: 42 times.", "Chapter 12. The Ball", "See note 3."]) {
      expect(withoutNoise(text)).toBe(text);
    }
  });

  it("a plain-text book keeps no page number as a paragraph, and no note number, in any chapter", () => {
    const chapters = toBookChapters(parsePlainTextBook(`${CHILDRENS_LITERATURE}\n\nCHAPTER II. THE STANZA\n\n${FRANKENSTEIN_STANZA}\n\n${FRANKENSTEIN_NOTE}`, "Book"));
    expect(chapters.map((chapter) => chapter.title)).toEqual(["CHAPTER I. INTRODUCTORY", "CHAPTER II. THE STANZA"]);
    expect(chapters[0].passages.join("\n\n").split("\n\n")).toEqual([
      expect.stringMatching(/^The difficulties of classification/),
      expect.stringMatching(/^Many modern writers/),
    ]);
    expect(chapters[1].passages.join("\n\n")).toBe(
      "Because he knows a frightful fiend Doth close behind him tread.”\n\nColeridge’s “Ancient Mariner.”",
    );
  });

  it("a paragraph that is only a page number goes; one with words stays", () => {
    expect(withoutNoiseParagraphs(["171", "- 172 -", "[173]", "↩", "1888 was a leap year.", "Seven!"])).toEqual(["1888 was a leap year.", "Seven!"]);
  });
});
