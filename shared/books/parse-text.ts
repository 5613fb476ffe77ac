import { chapterTitle, FRONT_MATTER_CHARS, type ParsedChapter } from "./chapters.ts";

const NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" +
  "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred";
/** "Chapter 12", "CHAPTER XII. The Ball", "Chapter Twenty-One: ...": a chapter heading line. */
const CHAPTER_LINE = new RegExp(
  `^\\s*chapter\\s+(?:\\d+|[ivxlcdm]+|(?:${NUMBER_WORDS})(?:[- ](?:${NUMBER_WORDS}))*)\\b.{0,200}$`,
  "i",
);
/** A line that is only an upper-case roman numeral ("XII." or "IV"): a chapter heading in many old books. */
const ROMAN_LINE = /^\s*[IVXLCDM]+\.?\s*$/;
const MARKDOWN_HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

/** Paragraphs of a block of text: separated by blank lines, their line breaks joined with spaces. */
function paragraphsOf(lines: string[]): string[] {
  return lines.join("\n").split(/\n\s*\n/).map((paragraph) => paragraph.trim()).filter(Boolean);
}

/** Splits lines at the heading lines `headingOf` names; text before the first is front matter. */
function splitAtHeadings(
  lines: string[],
  headingOf: (line: string) => string | null,
  bookTitle: string,
): ParsedChapter[] {
  const chapters: ParsedChapter[] = [];
  const front: string[] = [];
  let current: { title: string; lines: string[] } | null = null;
  for (const line of lines) {
    const heading = headingOf(line);
    if (heading !== null) {
      if (current) chapters.push({ title: current.title, paragraphs: paragraphsOf(current.lines) });
      current = { title: chapterTitle(heading, `Chapter ${chapters.length + 1}`), lines: [] };
    } else if (current) {
      current.lines.push(line);
    } else {
      front.push(line);
    }
  }
  if (current) chapters.push({ title: current.title, paragraphs: paragraphsOf(current.lines) });
  const frontParagraphs = paragraphsOf(front);
  // A title and an author line are not a chapter; a real opening before the first heading is.
  if (chapters.length === 0 || frontParagraphs.join("\n\n").length >= FRONT_MATTER_CHARS) {
    chapters.unshift({ title: chapters.length === 0 ? chapterTitle(bookTitle, "Chapter 1") : "Opening", paragraphs: frontParagraphs });
  }
  return chapters;
}

/**
 * Chapters of a Markdown book: the top heading level that occurs more than once (`#`, else `##`,
 * ...) starts each chapter; its text is the title. Without such headings, the whole text is one
 * chapter named after the book.
 */
export function parseMarkdownBook(text: string, bookTitle: string): ParsedChapter[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const counts = new Map<number, number>();
  for (const line of lines) {
    const match = MARKDOWN_HEADING.exec(line);
    if (match) counts.set(match[1].length, (counts.get(match[1].length) ?? 0) + 1);
  }
  const level = [1, 2, 3, 4, 5, 6].find((depth) => (counts.get(depth) ?? 0) > 1) ??
    [1, 2, 3, 4, 5, 6].find((depth) => counts.has(depth));
  return splitAtHeadings(lines, (line) => {
    const match = MARKDOWN_HEADING.exec(line);
    if (!match) return null;
    return match[1].length === level ? match[2] : null;
  }, bookTitle).map((chapter) => ({
    ...chapter,
    // Lower headings stay as paragraphs, without their marks.
    paragraphs: chapter.paragraphs.map((paragraph) => paragraph.replace(/^#{1,6}\s+/, "")),
  }));
}

/**
 * Chapters of a plain-text book: lines like "Chapter 3", "CHAPTER XII. The Ball" or "Chapter
 * Twenty-One", or a line that is only an upper-case roman numeral, start each chapter. Without
 * any, the whole text is one chapter named after the book.
 */
export function parsePlainTextBook(text: string, bookTitle: string): ParsedChapter[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const usesChapterWord = lines.some((line) => CHAPTER_LINE.test(line));
  return splitAtHeadings(lines, (line) => {
    if (usesChapterWord) return CHAPTER_LINE.test(line) ? line : null;
    return ROMAN_LINE.test(line) ? line.trim().replace(/\.$/, "") : null;
  }, bookTitle);
}
