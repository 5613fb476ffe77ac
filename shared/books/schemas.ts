import { z } from "zod";
import { storableText } from "../models/text.ts";

/** Largest body PUT /fine-tune-book takes: an EPUB of up to 8 MiB, base64 in JSON, or the text. */
export const MAX_BOOK_BODY_BYTES = 12 * 1024 * 1024;
/** Longest book text (characters), plain or Markdown. */
export const MAX_BOOK_TEXT_CHARS = 8_000_000;
/** Most chapters and passages one book may have (413 past them). */
export const MAX_BOOK_CHAPTERS = 1000;
export const MAX_BOOK_PASSAGES = 10_000;

/** The free-text book id the models carry (`book_id`), as a path segment. */
export const bookIdPath = ["bookId"] as const;
export const bookIdParams = z.object({
  bookId: z.string({ message: "The path must end with /<bookId>" }).trim().min(1).max(200),
});

/**
 * Base64 as atob takes it, optionally wrapped in lines (LF or CRLF): a length of 4n+1 characters
 * is no whole number of bytes, and padding may only make the length a multiple of 4.
 */
const base64 = z.string()
  .regex(/^[A-Za-z0-9+/\r\n]*(?:=\r?\n?){0,2}$/, { message: "Must be base64" })
  .refine((text) => isWholeBase64(text.replace(/[\r\n]/g, "")), { message: "Must be base64 of whole bytes" });

function isWholeBase64(text: string): boolean {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return padding > 0 ? text.length % 4 === 0 : text.length % 4 !== 1;
}

/** PUT /fine-tune-book/:bookId: the caller's text of the book, replacing their earlier upload. */
export const putBookBody = z.object({
  title: storableText(300).optional().describe("Defaults to the EPUB's own title, else the book id"),
  blurb: storableText(4000).optional()
    .describe("What a reader with no progress set is told of the book: no spoilers"),
  isPublic: z.boolean().default(false)
    .describe("The uploader asserts the text is public domain or theirs to share: everyone may read it"),
  format: z.enum(["text", "markdown", "epub"]).optional()
    .describe("`text` (default with `text`), `markdown`, or `epub` (with `epub`)"),
  text: z.string().min(1).max(MAX_BOOK_TEXT_CHARS)
    .refine((text) => !text.includes("\u0000"), { message: "Must not contain the NUL character" })
    .optional().describe("The book as plain text or Markdown"),
  epub: base64.min(1).optional().describe("The book as an EPUB file, base64 (in lines or not)"),
}).strict().superRefine((body, ctx) => {
  if ((body.text === undefined) === (body.epub === undefined)) {
    ctx.addIssue({ code: "custom", path: ["text"], message: "Send the book as `text` or as `epub`, one of them" });
  }
  if (body.epub !== undefined && body.format !== undefined && body.format !== "epub") {
    ctx.addIssue({ code: "custom", path: ["format"], message: "An `epub` upload has format epub" });
  }
  if (body.text !== undefined && body.format === "epub") {
    ctx.addIssue({ code: "custom", path: ["format"], message: "Send an EPUB as `epub` (base64)" });
  }
});

export type PutBookBody = z.infer<typeof putBookBody>;

/** GET /fine-tune-book/:bookId?chapter= */
export const getBookQuery = z.object({
  chapter: z.coerce.number().int().min(1).max(MAX_BOOK_CHAPTERS).optional()
    .describe("Also answer this chapter's text, passage by passage"),
}).strict();

/** PUT /fine-tune-reading-progress/:bookId */
export const readingPositionSchema = z.object({
  chapter: z.number().int().min(1).max(100_000).describe("The chapter the reader has reached, from 1"),
  percent: z.number().min(0).max(100).optional()
    .describe("How far into that chapter, 0-100; left out: the whole chapter is read"),
}).strict().meta({ id: "ReadingPosition" });

export type ReadingPosition = z.infer<typeof readingPositionSchema>;

const chapterSummary = z.object({
  index: z.number().int().describe("From 1, in reading order"),
  title: z.string(),
  length: z.number().int().describe("Characters of text"),
  passages: z.number().int(),
}).meta({ id: "BookChapter" });

export const bookSchema = z.object({
  id: z.uuid().describe("This upload's id"),
  bookId: z.string(),
  title: z.string(),
  blurb: z.string().nullable(),
  isPublic: z.boolean(),
  format: z.enum(["text", "markdown", "epub"]),
  owned: z.boolean().describe("The caller uploaded it"),
  chapters: z.array(chapterSummary),
  passageCount: z.number().int(),
  updatedAt: z.iso.datetime(),
}).meta({ id: "Book" });

/** 200 of PUT /fine-tune-book/:bookId. */
export const bookStoredResponse = z.object({
  success: z.literal(true),
  book: bookSchema,
}).meta({ id: "BookStored" });

export const passageSchema = z.object({
  id: z.number().int().describe("The passage's id, as citations name it"),
  position: z.number().int().describe("From 1 within the chapter"),
  text: z.string(),
}).meta({ id: "BookPassage" });

/** 200 of GET /fine-tune-book/:bookId. */
export const bookResponse = z.object({
  success: z.literal(true),
  book: bookSchema,
  progress: z.object({
    chapter: z.number().int(),
    percent: z.number().nullable(),
    updatedAt: z.iso.datetime(),
  }).nullable().describe("Where the caller is in this book (PUT /fine-tune-reading-progress)"),
  chapter: z.object({
    index: z.number().int(),
    title: z.string(),
    passages: z.array(passageSchema),
  }).optional().describe("With `?chapter=`: that chapter's text, in order"),
}).meta({ id: "BookDetail" });

/** 200 of PUT /fine-tune-reading-progress/:bookId. */
export const readingProgressResponse = z.object({
  success: z.literal(true),
  bookId: z.string(),
  chapter: z.number().int(),
  percent: z.number().nullable(),
  updatedAt: z.iso.datetime(),
}).meta({ id: "ReadingProgress" });
