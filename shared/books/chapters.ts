import { estimateTokens, estimateTokensOfBytes } from "../llm/tokens.ts";
import { truncateText } from "../models/text.ts";
import { withoutNoiseParagraphs } from "./text-noise.ts";

/** One chapter as parsed from an upload: its title and its paragraphs, whitespace collapsed. */
export interface ParsedChapter {
  title: string;
  paragraphs: string[];
}

/** A chapter ready to store: title, length in characters and its passages in order. */
export interface BookChapter {
  title: string;
  length: number;
  passages: string[];
}

/** Tokens a passage aims for: enough context for a persona to draw on, small enough to rank well. */
export const PASSAGE_TARGET_TOKENS = 300;
/** No passage goes over this; a longer paragraph is split at sentences, then at words. */
export const PASSAGE_MAX_TOKENS = 450;
/** Text before the first chapter heading shorter than this is a title page, not a chapter. */
export const FRONT_MATTER_CHARS = 300;
/** Longest chapter title kept (the column allows 300). */
const MAX_TITLE_CHARS = 200;

/** Collapses runs of whitespace to one space and trims: how every paragraph is compared and stored. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** A chapter title as stored: whitespace collapsed, at most 200 characters, never empty. */
export function chapterTitle(title: string, fallback: string): string {
  const clean = truncateText(normaliseWhitespace(title), MAX_TITLE_CHARS);
  return clean || fallback;
}

/** UTF-8 bytes of a text, counted without encoding it (millions of words would allocate as many arrays). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      bytes += 2; // a pair is 4 bytes: its two units counted 1 each already
      i++;
    } else if (code >= 0x800) bytes += 2;
    else if (code >= 0x80) bytes += 1;
  }
  return bytes;
}

/**
 * Splits text longer than the passage maximum at sentence ends, then at spaces. Sizes are added
 * up piece by piece: measuring the growing passage again at every word was quadratic.
 */
function splitLongParagraph(paragraph: string): string[] {
  const sentences = paragraph.match(/[^.!?]+(?:[.!?]+["'”’)]*|$)\s*/g) ?? [paragraph];
  const pieces: string[] = [];
  let current = "";
  let currentBytes = 0;
  const flush = () => {
    if (current.trim()) pieces.push(current.trim());
    current = "";
    currentBytes = 0;
  };
  for (const sentence of sentences) {
    const sentenceBytes = utf8Length(sentence);
    if (estimateTokensOfBytes(sentenceBytes) > PASSAGE_MAX_TOKENS) {
      flush();
      let words = "";
      let wordsBytes = 0;
      for (const word of sentence.split(" ")) {
        const wordBytes = utf8Length(word);
        if (words && estimateTokensOfBytes(wordsBytes + 1 + wordBytes) > PASSAGE_TARGET_TOKENS) {
          pieces.push(words);
          words = "";
          wordsBytes = 0;
        }
        wordsBytes += words ? 1 + wordBytes : wordBytes;
        words = words ? `${words} ${word}` : word;
      }
      if (words.trim()) pieces.push(words.trim());
    } else if (current && estimateTokensOfBytes(currentBytes + sentenceBytes) > PASSAGE_TARGET_TOKENS) {
      flush();
      current = sentence;
      currentBytes = sentenceBytes;
    } else {
      current += sentence;
      currentBytes += sentenceBytes;
    }
  }
  flush();
  return pieces;
}

/**
 * Groups a chapter's paragraphs into passages of about PASSAGE_TARGET_TOKENS (never over
 * PASSAGE_MAX_TOKENS), in order. A passage never crosses a chapter: each chapter is split alone.
 */
export function splitIntoPassages(paragraphs: string[]): string[] {
  const passages: string[] = [];
  let current: string[] = [];
  let tokens = 0;
  const flush = () => {
    if (current.length > 0) passages.push(current.join("\n\n"));
    current = [];
    tokens = 0;
  };
  for (const paragraph of paragraphs) {
    const cost = estimateTokens(paragraph);
    if (cost > PASSAGE_MAX_TOKENS) {
      flush();
      passages.push(...splitLongParagraph(paragraph));
      continue;
    }
    if (tokens > 0 && tokens + cost > PASSAGE_TARGET_TOKENS) flush();
    current.push(paragraph);
    tokens += cost;
  }
  flush();
  return passages;
}

/**
 * Parsed chapters as stored, whatever the format: page noise left out (see text-noise.ts), empty
 * chapters dropped, each with its length and passages.
 */
export function toBookChapters(parsed: ParsedChapter[]): BookChapter[] {
  return parsed
    .map((chapter) => ({ ...chapter, paragraphs: withoutNoiseParagraphs(chapter.paragraphs) }))
    .filter((chapter) => chapter.paragraphs.length > 0)
    .map((chapter) => ({
      title: chapter.title,
      length: chapter.paragraphs.join("\n\n").length,
      passages: splitIntoPassages(chapter.paragraphs),
    }));
}
