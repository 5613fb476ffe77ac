import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toBookChapters } from "../../shared/books/chapters.ts";
import { parseEpubBook } from "../../shared/books/parse-epub.ts";
import { REAL_EPUBS as FIXTURES, realEpub, type RealEpubName } from "../support/real-epubs.ts";

/** The table of contents' links and titles, read plainly from the nav document (not by the parser). */
function tocLinks(navFile: string): { href: string; title: string }[] {
  const nav = readFileSync(join(FIXTURES, navFile), "utf8");
  const toc = nav.slice(nav.search(/<nav[^>]*epub:type="toc"/), nav.indexOf("</nav>"));
  return [...toc.matchAll(/<a href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)]
    .map(([, href, title]) => ({ href, title: title.replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim() }));
}

/** The NCX's navPoints (label and target), read plainly (not by the parser). */
function ncxLinks(ncxFile: string): { href: string; title: string }[] {
  const ncx = readFileSync(join(FIXTURES, ncxFile), "utf8");
  return [...ncx.matchAll(/<text>([^<]*)<\/text>\s*<\/navLabel>\s*<content src="([^"]+)"/g)]
    .map(([, title, href]) => ({ href, title: title.replace(/\s+/g, " ").trim() }));
}

const chaptersOf = (name: RealEpubName) => toBookChapters(parseEpubBook(realEpub(name), name).chapters);
const allText = (chapters: ReturnType<typeof chaptersOf>) => chapters.flatMap((chapter) => chapter.passages).join("\n\n");

describe("real EPUBs: chapters follow the navigation's story chapters", () => {
  it("IDPF childrens-literature: one chapter per nav entry with story text, split inside one file", () => {
    const chapters = chaptersOf("childrens-literature");
    const links = tocLinks("childrens-literature/EPUB/nav.xhtml");
    expect(links).toHaveLength(22);
    // Of the 22 entries, two are not chapters, whatever the landmarks say (they do put bodymatter at
    // the third): "BIBLIOGRAPHY" is typed back matter (epub:type="bibliography"), and the section's
    // title ("SECTION IV ...") is a part title with no text of its own, only the bibliography inside.
    const section = readFileSync(join(FIXTURES, "childrens-literature/EPUB/s04.xhtml"), "utf8");
    expect(section).toContain('<section id="pgepubid00495" epub:type="bibliography">');
    const story = links.filter((link) => !["s04.xhtml#pgepubid00492", "s04.xhtml#pgepubid00495"].includes(link.href));
    expect(chapters.map((chapter) => chapter.title)).toEqual(story.map((link) => link.title));
    expect(chapters.map((chapter) => chapter.title)).toEqual([
      "INTRODUCTORY",
      "190 A FOUR-LEAVED CLOVER",
      "I. The Rabbi and the Diadem",
      "II. Friendship",
      "III. True Charity",
      "IV. An Eastern Garden",
      "191 THE LORD HELPETH MAN AND BEAST",
      "192 THE REAL PRINCESS",
      "193 THE EMPEROR'S NEW CLOTHES",
      "194 THE NIGHTINGALE",
      "195 THE FIR TREE",
      "196 THE TINDER-BOX",
      "197 THE HARDY TIN SOLDIER",
      "198 THE UGLY DUCKLING",
      "199 THE STORY OF FAIRYFOOT",
      "200 THE HAPPY PRINCE",
      "201 THE KNIGHTS OF THE SILVER SHIELD",
      "202 THE PRINCE'S DREAM",
      "203 OLD PIPES AND THE DRYAD",
      "204 THE KING OF THE GOLDEN RIVER OR THE BLACK BROTHERS",
    ]);
    expect(chapters[1].passages[0]).toMatch(/^The rabbis of old were good story-tellers/);
    // Printed page numbers (epub:type="pagebreak") are not paragraphs; the bibliography is not text.
    const paragraphs = allText(chapters).split("\n\n");
    expect(paragraphs.filter((paragraph) => /^\d+$/.test(paragraph))).toEqual([]);
    expect(allText(chapters)).not.toContain("Alden, Raymond Macdonald, Why the Chimes Rang");
  });

  it("Standard Ebooks' Frankenstein: chapter 1 is the first letter; front and back matter are not chapters", () => {
    const chapters = chaptersOf("frankenstein");
    const present = new Set(readdirSync(join(FIXTURES, "frankenstein/epub/text")));
    const links = tocLinks("frankenstein/epub/toc.xhtml");
    // From the landmarks' bodymatter (letter-1) to the back matter (endnotes), files the fixture keeps.
    const story = links
      .slice(links.findIndex((link) => link.href === "text/letter-1.xhtml"), links.findIndex((link) => link.href === "text/endnotes.xhtml"))
      .filter((link) => present.has(link.href.replace(/^text\//, "").replace(/#.*/, "")));
    expect(chapters.map((chapter) => chapter.title)).toEqual(story.map((link) => link.title));
    expect(chapters.map((chapter) => chapter.title)).toEqual([
      "Letter I",
      "Letter II",
      "Chapter I",
      "Chapter V",
      "Chapter XXIV",
      "Walton, in Continuation",
    ]);
    expect(chapters[0].passages[0]).toMatch(/^To Mrs\. Saville, England\.\n\nSt\. Petersburgh, Dec\. 11th/);
    const text = allText(chapters);
    // Title page, imprint, preface, colophon, uncopyright and endnotes are not in any chapter.
    for (const matter of ["By Mary Shelley", "Standard Ebooks", "The event on which this fiction is founded", "Coleridge’s “Ancient Mariner.”"]) {
      expect(text).not.toContain(matter);
    }
    // A note reference is not glued to the word before it, nor is a back-link kept.
    expect(text).toContain("Doth close behind him tread.”");
    expect(text).not.toMatch(/tread\.”\d/);
    expect(text).not.toContain("↩");
  });

  it("Project Gutenberg's Sherlock Holmes (EPUB 2, NCX only): chapters follow the NCX, past the title page, contents and licence", () => {
    const chapters = chaptersOf("sherlock-holmes");
    expect(readFileSync(join(FIXTURES, "sherlock-holmes/OEBPS/content.opf"), "utf8")).not.toMatch(/properties="nav"/);
    const present = new Set(readdirSync(join(FIXTURES, "sherlock-holmes/OEBPS")));
    const links = ncxLinks("sherlock-holmes/OEBPS/toc.ncx").filter((link) => present.has(link.href.replace(/#.*/, "")));
    // The NCX's first entries are the title page's lines (no text of their own) and the printed
    // contents (the guide's "toc" reference): the stories are the rest.
    expect(links.slice(0, 4).map((link) => link.title)).toEqual(["THE ADVENTURES OF SHERLOCK HOLMES", "BY", "SIR ARTHUR CONAN DOYLE", "CONTENTS"]);
    expect(chapters.map((chapter) => chapter.title)).toEqual(links.slice(4).map((link) => link.title));
    expect(chapters.map((chapter) => chapter.title)).toEqual(["ADVENTURE I. A SCANDAL IN BOHEMIA", "ADVENTURE II. THE RED-HEADED LEAGUE"]);
    // The converter split the first story across two files: its end is still the first chapter's.
    const first = chapters[0].passages.join("\n\n");
    expect(first).toMatch(/^I\.\n\nTo Sherlock Holmes she is always the woman\./);
    expect(first).toContain("I slept at Baker Street that night");
    expect(first).toMatch(/under the honourable title of the woman\.$/);
    expect(chapters[1].passages[0]).toMatch(/^I had called upon my friend, Mr\. Sherlock Holmes/);
    // Project Gutenberg's licence header and footer (class pgheader) and the printed contents are not text.
    const text = allText(chapters);
    expect(text).not.toContain("Project Gutenberg");
    expect(text).not.toContain("A Scandal in Bohemia\n\nII.");
  });
});
