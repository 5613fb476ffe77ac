import type postgres from "postgres";
import type { UserAuth } from "../auth/identity.ts";
import { onDatabase, withUserTransaction } from "../db/client.ts";
import { HttpError, notFound, userNotFound } from "../errors.ts";
import { type BookChapter, toBookChapters } from "./chapters.ts";
import { parseEpubBook } from "./parse-epub.ts";
import { parseMarkdownBook, parsePlainTextBook } from "./parse-text.ts";
import { MAX_BOOK_CHAPTERS, MAX_BOOK_PASSAGES, type PutBookBody, type ReadingPosition } from "./schemas.ts";

const bookTooLarge = (message: string) => new HttpError(413, "book_too_large", message);

/** Decodes base64 without Node's Buffer (Edge Functions have atob). */
function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
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
  return { title: title.slice(0, 300), format, chapters };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Stores the caller's upload of `bookId` (replacing their earlier one with its chapters and
 * passages, atomically: one statement, `private.replace_book`) and answers it as they now read it.
 */
export async function uploadBook(auth: UserAuth, bookId: string, body: PutBookBody) {
  if (!UUID.test(auth.userId)) throw userNotFound();
  const book = parseBookUpload(bookId, body);
  const [{ id }] = await onDatabase((sql) =>
    sql<{ id: string | null }[]>`
      select private.replace_book(${auth.userId}, ${bookId}, ${book.title}, ${body.blurb ?? null},
                                  ${body.isPublic}, ${book.format},
                                  ${sql.json(book.chapters as unknown as postgres.JSONValue)}) as id`
  );
  if (!id) throw userNotFound();
  return (await readBook(auth, bookId)).book;
}

interface BookRow {
  id: string;
  book_id: string;
  title: string;
  blurb: string | null;
  is_public: boolean;
  source_format: "text" | "markdown" | "epub";
  owned: boolean;
  passage_count: number;
  updated_at: Date;
  chapters: { index: number; title: string; length: number; passages: number }[];
  progress: { chapter: number; percent: number | null; updatedAt: string } | null;
}

/**
 * The book as the caller reads it (their own upload of `bookId`, else the oldest public one; RLS
 * decides), its chapters, the caller's place in it and, with `chapter`, that chapter's passages.
 */
export async function readBook(auth: UserAuth, bookId: string, chapter?: number) {
  return await withUserTransaction(auth, async (tx) => {
    const [row] = await tx<BookRow[]>`
      select b.id, b.book_id, b.title, b.blurb, b.is_public, b.source_format, b.passage_count, b.updated_at,
             b.uploaded_by = (select auth.uid()) as owned,
             coalesce((select jsonb_agg(jsonb_build_object('index', c.chapter, 'title', c.title,
                                                           'length', c.length, 'passages', c.passage_count)
                                        order by c.chapter)
                       from public.book_chapters c where c.book = b.id), '[]'::jsonb) as chapters,
             (select jsonb_build_object('chapter', r.chapter, 'percent', r.percent::float8,
                                        'updatedAt', to_char(r.updated_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
              from public.reading_progress r
              where r.user_id = (select auth.uid()) and r.book_id = b.book_id) as progress
      from public.books b
      where b.book_id = ${bookId}
      order by b.uploaded_by = (select auth.uid()) desc, b.created_at
      limit 1`;
    if (!row) throw notFound("No text of this book that you may read.");
    const book = {
      id: row.id,
      bookId: row.book_id,
      title: row.title,
      blurb: row.blurb,
      isPublic: row.is_public,
      format: row.source_format,
      owned: row.owned,
      chapters: row.chapters,
      passageCount: row.passage_count,
      updatedAt: row.updated_at.toISOString(),
    };
    if (chapter === undefined) return { book, progress: row.progress };
    const summary = row.chapters.find((entry) => entry.index === chapter);
    if (!summary) throw notFound(`The book has no chapter ${chapter}.`);
    const passages = await tx<{ id: number; position: number; text: string }[]>`
      select p.id::float8 as id, p.position, p.content as text
      from public.book_passages p
      where p.book = ${row.id} and p.chapter = ${chapter}
      order by p.position`;
    return { book, progress: row.progress, chapter: { index: chapter, title: summary.title, passages: [...passages] } };
  });
}

/**
 * Records where the caller is in `bookId` (404 unless they may read a text of it). Readers move
 * their own place back and forth: chat follows it either way.
 */
export async function setReadingProgress(auth: UserAuth, bookId: string, position: ReadingPosition) {
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<{ chapter: number; percent: number | null; updated_at: Date }[]>`
      insert into public.reading_progress (book_id, chapter, percent)
      select ${bookId}, ${position.chapter}, ${position.percent ?? null}
      where exists (select 1 from public.books b where b.book_id = ${bookId})
      on conflict (user_id, book_id) do update
        set chapter = excluded.chapter, percent = excluded.percent, updated_at = now()
      returning chapter, percent::float8 as percent, updated_at`
  );
  if (!row) throw notFound("No text of this book that you may read.");
  return { bookId, chapter: row.chapter, percent: row.percent, updatedAt: row.updated_at.toISOString() };
}
