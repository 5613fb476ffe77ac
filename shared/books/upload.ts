import { HttpError, validationFailed } from "../errors.ts";
import { truncateText } from "../models/text.ts";
import { type BookChapter, toBookChapters } from "./chapters.ts";
import { parseEpubBook } from "./parse-epub.ts";
import { parseMarkdownBook, parsePlainTextBook } from "./parse-text.ts";
import { MAX_BOOK_CHAPTERS, MAX_BOOK_PASSAGES, type PutBookBody } from "./schemas.ts";

const bookTooLarge = (message: string) => new HttpError(413, "book_too_large", message);

/**
 * Decodes base64 without Node's Buffer (Edge Functions have atob); line breaks (76-column
 * wrapping, as most tools emit) are left out first. The schema already refused the rest.
 */
function fromBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text.replace(/[\r\n]/g, ""));
  } catch {
    throw validationFailed([{ path: ["epub"], message: "Must be base64" }]);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** An upload's chapters and title, parsed by its format, within the limits (413 past them). */
export function parseBookUpload(bookId: string, body: PutBookBody): {
  title: string;
  format: "text" | "markdown" | "epub";
  chapters: BookChapter[];
} {
  let title = body.title ?? bookId;
  let format: "text" | "markdown" | "epub";
  let parsed;
  if (body.epub !== undefined) {
    const epub = parseEpubBook(fromBase64(body.epub), title);
    title = body.title ?? epub.title ?? bookId;
    parsed = epub.chapters;
    format = "epub";
  } else {
    format = body.format === "markdown" ? "markdown" : "text";
    parsed = format === "markdown" ? parseMarkdownBook(body.text!, title) : parsePlainTextBook(body.text!, title);
  }
  const chapters = toBookChapters(parsed);
  if (chapters.length === 0) {
    throw new HttpError(422, "empty_book", "The upload holds no text.", {
      details: [{ path: [body.epub !== undefined ? "epub" : "text"], message: "No text found" }],
    });
  }
  if (chapters.length > MAX_BOOK_CHAPTERS) {
    throw bookTooLarge(`The book has ${chapters.length} chapters; at most ${MAX_BOOK_CHAPTERS} are taken.`);
  }
  const passages = chapters.reduce((sum, chapter) => sum + chapter.passages.length, 0);
  if (passages > MAX_BOOK_PASSAGES) {
    throw bookTooLarge(`The book makes ${passages} passages; at most ${MAX_BOOK_PASSAGES} are taken.`);
  }
  return { title: truncateText(title, 300), format, chapters };
}
