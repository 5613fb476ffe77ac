import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toBookChapters } from "../../shared/books/chapters.ts";
import { parseEpubBook } from "../../shared/books/parse-epub.ts";
import { REAL_EPUBS as FIXTURES, realEpub } from "../support/real-epubs.ts";

/** The table of contents' links and titles, read plainly from the nav document (not by the parser). */
function tocLinks(navFile: string): { href: string; title: string }[] {
  const nav = readFileSync(join(FIXTURES, navFile), "utf8");
  const toc = nav.slice(nav.search(/<nav[^>]*epub:type="toc"/), nav.indexOf("</nav>"));
  return [...toc.matchAll(/<a href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)]
    .map(([, href, title]) => ({ href, title: title.replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim() }));
}

const chaptersOf = (name: "childrens-literature" | "frankenstein") => toBookChapters(parseEpubBook(realEpub(name), name).chapters);
const allText = (chapters: ReturnType<typeof chaptersOf>) => chapters.flatMap((chapter) => chapter.passages).join("\n\n");

describe("real EPUBs: chapters follow the navigation's story chapters", () => {
  it("IDPF childrens-literature: one chapter per table-of-contents entry from the body matter on, split inside one file", () => {
    const chapters = chaptersOf("childrens-literature");
    const links = tocLinks("childrens-literature/EPUB/nav.xhtml");
    expect(links).toHaveLength(22);
    // The landmarks' bodymatter is s04.xhtml#pgepubid00498 ("Begin Reading"): the two entries
    // before it (the section's heading, its bibliography) are front matter.
    const story = links.slice(links.findIndex((link) => link.href === "s04.xhtml#pgepubid00498"));
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
});
