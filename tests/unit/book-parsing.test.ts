import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../shared/llm/tokens.ts";
import { PASSAGE_MAX_TOKENS, splitIntoPassages, toBookChapters } from "../../shared/books/chapters.ts";
import { parseEpubBook } from "../../shared/books/parse-epub.ts";
import { parseMarkdownBook, parsePlainTextBook } from "../../shared/books/parse-text.ts";
import { parseBookUpload } from "../../shared/books/upload.ts";
import {
  SAMPLE_BOOK_TITLE,
  SAMPLE_CHAPTERS,
  sampleBookEpub,
  sampleBookMarkdown,
  sampleBookText,
  sampleParagraphs,
} from "../fixtures/sample-book.ts";
import { HttpError } from "../../shared/errors.ts";

const summary = (chapters: ReturnType<typeof toBookChapters>) =>
  chapters.map((chapter, i) => ({ index: i + 1, title: chapter.title, length: chapter.length, passages: chapter.passages }));

describe("book chapters", () => {
  it("plain text: one chapter per \"Chapter N\" line, the title and author line are not a chapter", () => {
    const chapters = toBookChapters(parsePlainTextBook(sampleBookText(), SAMPLE_BOOK_TITLE));
    expect(chapters.map((chapter) => chapter.title)).toEqual(
      SAMPLE_CHAPTERS.map((chapter, i) => `Chapter ${i + 1}: ${chapter.title}`),
    );
    // Hard-wrapped lines are joined back into their paragraph.
    expect(chapters[4].passages.join("\n\n")).toBe(sampleParagraphs(5).join("\n\n"));
  });

  it("text, Markdown and EPUB give the same chapters: titles, lengths and passages", () => {
    const text = summary(toBookChapters(parsePlainTextBook(sampleBookText(), SAMPLE_BOOK_TITLE)));
    const markdown = summary(toBookChapters(parseMarkdownBook(sampleBookMarkdown(), SAMPLE_BOOK_TITLE)));
    const epub = parseEpubBook(sampleBookEpub(), "fallback");
    expect(epub.title).toBe(SAMPLE_BOOK_TITLE);
    expect(text).toHaveLength(12);
    expect(markdown).toEqual(text);
    expect(summary(toBookChapters(epub.chapters))).toEqual(text);
  });

  it("roman numeral lines start chapters in a book without the word Chapter", () => {
    const book = "I.\n\nIt was a dark night.\n\nII.\n\nMorning came.\n\nIII\n\nThe end.";
    expect(toBookChapters(parsePlainTextBook(book, "Roman")).map((chapter) => [chapter.title, chapter.passages])).toEqual([
      ["I", ["It was a dark night."]],
      ["II", ["Morning came."]],
      ["III", ["The end."]],
    ]);
  });

  it("a text without headings is one chapter named after the book", () => {
    expect(toBookChapters(parsePlainTextBook("Just one paragraph.\n\nAnd another.", "Short")).map((c) => c.title))
      .toEqual(["Short"]);
  });

  it("an EPUB 2 without a nav document takes its titles from the NCX", () => {
    const epub = zipSync({
      mimetype: strToU8("application/epub+zip"),
      "META-INF/container.xml": strToU8(`<container><rootfiles><rootfile full-path="book.opf"/></rootfiles></container>`),
      "book.opf": strToU8(`<package><metadata><dc:title>Two</dc:title></metadata><manifest>` +
        `<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>` +
        `<item id="a" href="a.html" media-type="application/xhtml+xml"/><item id="b" href="b.html" media-type="application/xhtml+xml"/>` +
        `</manifest><spine toc="ncx"><itemref idref="b"/><itemref idref="a"/></spine></package>`),
      "toc.ncx": strToU8(`<ncx><navMap><navPoint><navLabel><text>First</text></navLabel><content src="b.html"/></navPoint>` +
        `<navPoint><navLabel><text>Second</text></navLabel><content src="a.html#x"/></navPoint></navMap></ncx>`),
      "a.html": strToU8(`<html><body><p>Text of a &amp; more.</p></body></html>`),
      "b.html": strToU8(`<html><body><p>Text of b.</p><script>var x = 1;</script></body></html>`),
    });
    const { title, chapters } = parseEpubBook(epub, "fallback");
    expect(title).toBe("Two");
    expect(toBookChapters(chapters).map((chapter) => [chapter.title, chapter.passages])).toEqual([
      ["First", ["Text of b."]],
      ["Second", ["Text of a & more."]],
    ]);
  });

  it("refuses what is not an EPUB (422) and an EPUB that unpacks past the limit (413)", () => {
    expect(() => parseEpubBook(strToU8("not a zip"), "x")).toThrow(expect.objectContaining({ status: 422, code: "invalid_epub" }));
    const bomb = zipSync({ "META-INF/container.xml": new Uint8Array(65 * 1024 * 1024) }, { level: 9 });
    const error = (() => {
      try {
        parseEpubBook(bomb, "x");
      } catch (caught) {
        return caught as HttpError;
      }
    })();
    expect(error).toMatchObject({ status: 413, code: "book_too_large" });
  });

  it("passages stay under the maximum, and a long paragraph is split at its sentences", () => {
    const sentence = "The keeper watched the sea for a long time and said nothing at all to anyone. ";
    const passages = splitIntoPassages([sentence.repeat(80).trim(), "Short one."]);
    expect(passages.length).toBeGreaterThan(2);
    for (const passage of passages) expect(estimateTokens(passage)).toBeLessThanOrEqual(PASSAGE_MAX_TOKENS);
    expect(passages.at(-1)).toBe("Short one.");
    expect(passages.slice(0, -1).join(" ").replace(/\s+/g, " ")).toBe(sentence.repeat(80).trim());
  });

  it("a book over the chapter limit is refused with 413", () => {
    const book = Array.from({ length: 1001 }, (_, i) => `Chapter ${i + 1}\n\nText ${i}.`).join("\n\n");
    expect(() => parseBookUpload("big", { text: book, isPublic: false })).toThrow(
      expect.objectContaining({ status: 413, code: "book_too_large" }),
    );
  });
});
