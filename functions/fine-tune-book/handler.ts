import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { defineRoutes } from "../../shared/http/routes.ts";
import { errorBody } from "../../shared/errors.ts";
import { readBook, uploadBook } from "../../shared/books/store.ts";
import {
  bookIdParams,
  bookIdPath,
  bookResponse,
  bookStoredResponse,
  getBookQuery,
  MAX_BOOK_BODY_BYTES,
  MAX_BOOK_CHAPTERS,
  MAX_BOOK_PASSAGES,
  putBookBody,
} from "../../shared/books/schemas.ts";

const name = "fine-tune-book";

/**
 * A book's text, the source of spoiler-safe chat: PUT uploads the caller's text of a book id
 * (plain text, Markdown or EPUB), GET reads the text the caller may read (their own, else a public
 * one): title, chapters and, with `?chapter=`, a chapter's passages.
 */
export default defineRoutes(
  defineEndpoint({
    name,
    methods: ["GET"],
    auth: "user",
    path: bookIdPath,
    params: bookIdParams,
    query: getBookQuery,
    summary: "Read a book: title, chapters, the caller's place, a chapter's text",
    description: "The caller's own upload of the book id, else the oldest public one. `?chapter=N` adds " +
      "that chapter's passages in order (ids as chat citations name them).",
    responses: {
      200: { description: "The book", schema: bookResponse },
      404: { description: "No text of this book the caller may read, or no such chapter", schema: errorBody },
    },
    async handle({ auth, params: { bookId }, query }) {
      return { body: await readBook(auth, bookId, query.chapter) };
    },
  }),
  defineEndpoint({
    name,
    methods: ["PUT"],
    auth: "user",
    path: bookIdPath,
    params: bookIdParams,
    body: putBookBody,
    maxBodyBytes: MAX_BOOK_BODY_BYTES,
    summary: "Upload the caller's text of a book (plain text, Markdown or EPUB)",
    description: "Replaces the caller's earlier upload of the book id, chapters and passages at once. " +
      "Chapters: Markdown headings, \"Chapter N\" / roman-numeral lines, or the EPUB's spine and table of " +
      `contents. Body up to ${MAX_BOOK_BODY_BYTES} bytes; at most ${MAX_BOOK_CHAPTERS} chapters and ` +
      `${MAX_BOOK_PASSAGES} passages (413 \`book_too_large\`).`,
    responses: {
      200: { description: "The book as stored", schema: bookStoredResponse },
      413: { description: "Over the body, chapter or passage limit, or an EPUB that unpacks too large", schema: errorBody },
      422: { description: "Not a readable EPUB, no text, or a body that fails validation", schema: errorBody },
    },
    async handle({ auth, params: { bookId }, body }) {
      return { body: { book: await uploadBook(auth, bookId, body) } };
    },
  }),
);
