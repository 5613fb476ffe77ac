import { strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../shared/llm/tokens.ts";
import { PASSAGE_MAX_TOKENS, splitIntoPassages, toBookChapters } from "../../shared/books/chapters.ts";
import { MAX_EPUB_UNPACKED_BYTES, parseEpubBook } from "../../shared/books/parse-epub.ts";
import { openEpubArchive } from "../../shared/books/epub-archive.ts";
import { MAX_XML_DEPTH, xhtmlParagraphs, xmlElements } from "../../shared/books/epub-xml.ts";
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
import { epubWith, lyingZipBomb } from "../support/hostile-epubs.ts";

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

  it("EPUB 2: NCX entries split a file at their ids; matter typed by the guide or epub:type (even inside a chapter) and linear=\"no\" are not chapters", () => {
    const page = (body: string) => strToU8(`<html xmlns:epub="http://www.idpf.org/2007/ops"><body>${body}</body></html>`);
    const epub = zipSync({
      mimetype: strToU8("application/epub+zip"),
      "META-INF/container.xml": strToU8(`<container><rootfiles><rootfile full-path="OEBPS/book.opf"/></rootfiles></container>`),
      "OEBPS/book.opf": strToU8(`<package><manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>` +
        ["title", "foreword", "prologue", "story", "aside", "notes"].map((id) => `<item id="${id}" href="${id}.html" media-type="application/xhtml+xml"/>`).join("") +
        `</manifest><spine toc="ncx"><itemref idref="title"/><itemref idref="foreword"/><itemref idref="prologue"/><itemref idref="story"/>` +
        `<itemref idref="aside" linear="no"/><itemref idref="notes"/></spine>` +
        `<guide><reference type="foreword" href="foreword.html"/><reference type="text" href="story.html"/></guide></package>`),
      "OEBPS/toc.ncx": strToU8(`<ncx><navMap>` +
        [["Title", "title.html"], ["Foreword", "foreword.html"], ["Prologue", "prologue.html"], ["One", "story.html#one"], ["Two", "story.html#two"], ["Aside", "aside.html"], ["Notes", "notes.html"]]
          .map(([label, src]) => `<navPoint><navLabel><text>${label}</text></navLabel><content src="${src}"/></navPoint>`).join("") +
        `</navMap></ncx>`),
      "OEBPS/title.html": page(`<section epub:type="titlepage"><h1>The Book</h1></section>`),
      "OEBPS/foreword.html": page(`<p>${"A foreword before the text starts. ".repeat(20)}</p>`),
      // Before the guide's text start, but an untyped entry of the table of contents: a chapter.
      "OEBPS/prologue.html": page(`<p>Before the story.</p>`),
      "OEBPS/story.html": page(`<section id="one"><h2>One</h2><p>First words<a epub:type="noteref" href="notes.html#n1">1</a>.</p>` +
        `<span epub:type="pagebreak" title="2">2</span></section><section id="two"><h2>Two</h2><p>Second words.</p>` +
        `<aside epub:type="footnote" id="n1"><p>A footnote kept out of the text.</p></aside></section>`),
      "OEBPS/aside.html": page(`<p>${"An aside read only when linked. ".repeat(20)}</p>`),
      "OEBPS/notes.html": page(`<section epub:type="endnotes"><h2>Notes</h2><ol><li><p>A note. <a epub:type="backlink" href="story.html">↩</a></p></li></ol></section>`),
    });
    expect(toBookChapters(parseEpubBook(epub, "fallback").chapters).map((chapter) => [chapter.title, chapter.passages])).toEqual([
      ["Prologue", ["Before the story."]],
      ["One", ["First words."]],
      ["Two", ["Second words."]],
    ]);
  });

  it("refuses what is not an EPUB (422) and an EPUB whose documents declare more than the limit (413), unread", () => {
    expect(() => parseEpubBook(strToU8("not a zip"), "x")).toThrow(expect.objectContaining({ status: 422, code: "invalid_epub" }));
    const bomb = lyingZipBomb(1, MAX_EPUB_UNPACKED_BYTES + 1);
    expect(() => parseEpubBook(bomb, "x")).toThrow(expect.objectContaining({ status: 413, code: "book_too_large" }));
    const archive = openEpubArchive(bomb, MAX_EPUB_UNPACKED_BYTES);
    expect(() => archive.read("META-INF/container.xml")).toThrow(expect.objectContaining({ status: 413 }));
    expect(archive.unpackedBytes).toBe(0);
  });

  it("counts what it inflates: a file that inflates past its declared size stops within a step of it", () => {
    const archive = openEpubArchive(lyingZipBomb(), MAX_EPUB_UNPACKED_BYTES);
    expect(() => archive.read("META-INF/container.xml")).toThrow(
      expect.objectContaining({ status: 422, code: "invalid_epub", message: expect.stringContaining("4096 bytes it declares") }),
    );
    expect(archive.unpackedBytes).toBeLessThanOrEqual(4096);
  });

  it("counts every document read against the limit, each once, and inflates nothing it does not read", () => {
    const MiB = 1024 * 1024;
    const zip = zipSync({ a: new Uint8Array(MiB), b: new Uint8Array(MiB), c: new Uint8Array(MiB), image: new Uint8Array(4 * MiB) });
    const archive = openEpubArchive(zip, 2.5 * MiB);
    archive.read("a");
    archive.read("a");
    archive.read("b");
    expect(archive.unpackedBytes).toBe(2 * MiB);
    expect(() => archive.read("c")).toThrow(expect.objectContaining({ status: 413, code: "book_too_large" }));
    expect(archive.unpackedBytes).toBe(2 * MiB);
    expect(archive.read("missing")).toBeUndefined();
  });

  it("XML: nesting past the depth limit is refused, and element text is collected once, not per ancestor", () => {
    const nested = (depth: number, tag = "a") => `<${tag}>`.repeat(depth) + "x" + `</${tag}>`.repeat(depth);
    expect(xmlElements(nested(MAX_XML_DEPTH), "ok.xml")).toHaveLength(MAX_XML_DEPTH);
    expect(() => xmlElements(nested(MAX_XML_DEPTH + 1), "deep.xml")).toThrow(
      expect.objectContaining({ status: 422, message: expect.stringContaining("deep.xml nests elements more than") }),
    );
    expect(() => xhtmlParagraphs(`<html><body>${nested(MAX_XML_DEPTH, "span")}</body></html>`, "deep.html")).toThrow(
      expect.objectContaining({ status: 422 }),
    );
    // Text in every level: each element's text is read from one list, and only as far as a title needs.
    const elements = xmlElements("<a>level ".repeat(MAX_XML_DEPTH) + "</a>".repeat(MAX_XML_DEPTH), "text.xml");
    expect(elements[MAX_XML_DEPTH - 2].text).toBe("level level ");
    expect(elements[0].text.length).toBeLessThanOrEqual(1000);
    expect(elements[0].text.startsWith("level level level")).toBe(true);
  });

  it("a document the spine lists many times is read once", () => {
    const epub = epubWith({ chapter: "Once upon a time. ".repeat(30) });
    const repeated = zipSync({
      ...unzipSync(epub),
      "book.opf": strToU8(`<package><manifest><item id="a" href="a.html" media-type="application/xhtml+xml"/></manifest>` +
        `<spine>${'<itemref idref="a"/>'.repeat(10_000)}</spine></package>`),
    });
    expect(parseEpubBook(repeated, "x").chapters).toHaveLength(1);
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
