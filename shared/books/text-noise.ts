/**
 * Marks of a printed or converted page that are not the author's words, as they reach a book's
 * text (plain text copied out of an EPUB or a web page, or an EPUB that does not type them):
 * note numbers glued to a word's closing punctuation (`tread.”1`), superscript note numbers,
 * "↩" back-links, Project Gutenberg's "[Pg 12]" page marks, and page numbers left as paragraphs.
 */

/** A letter, closing punctuation, then 1-3 digits and a space: a note number (`tread.”1`, `said,2`). */
const GLUED_NOTE_NUMBER = /(\p{L}[.,;:!?’”"')\]]+)\d{1,3}(?=\s|$)/gu;
/** Superscript digits right after a word or its punctuation (`night.¹`). */
const SUPERSCRIPT_NOTE = /(\p{L}[.,;:!?’”"')\]]*)[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+/gu;
/** A "↩" back-link (with its text-style variation selector), bracketed or not. */
const BACK_LINK = /\[?\u21a9\ufe0e?\]?/g;
/** Project Gutenberg's page marks: "[Pg 12]", "[Page xii]", "[p. 12]". */
const PAGE_MARK = /\[(?:pg|page|p\.)\s*[0-9ivxlcdm]+\]/gi;
/** A paragraph that is only a page number: "172", "[172]", "- 172 -". */
const BARE_PAGE_NUMBER = /^(?:\[\d{1,4}\]|-?\s*\d{1,4}\s*-?)$/;

/** One paragraph without note numbers, back-links or page marks; whitespace collapsed. */
export function withoutNoise(paragraph: string): string {
  return (
    paragraph
      .replace(PAGE_MARK, " ")
      .replace(BACK_LINK, " ")
      .replace(GLUED_NOTE_NUMBER, "$1")
      .replace(SUPERSCRIPT_NOTE, "$1")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** A chapter's paragraphs without noise; page numbers standing alone, and what is left empty, dropped. */
export function withoutNoiseParagraphs(paragraphs: readonly string[]): string[] {
  return paragraphs.map(withoutNoise).filter((paragraph) => paragraph !== "" && !BARE_PAGE_NUMBER.test(paragraph));
}
