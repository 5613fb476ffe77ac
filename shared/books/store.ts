import type postgres from "postgres";
import type { UserAuth } from "../auth/identity.ts";
import { onDatabase, withUserTransaction } from "../db/client.ts";
import { HttpError, notFound, userNotFound } from "../errors.ts";
import type { PutBookBody, ReadingPosition } from "./schemas.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Stores the caller's upload of `bookId` (replacing their earlier one with its chapters and
 * passages, atomically: one statement, `private.replace_book`) and answers it as they now read it.
 */
export async function uploadBook(auth: UserAuth, bookId: string, body: PutBookBody) {
  if (!UUID.test(auth.userId)) throw userNotFound();
  // The parsers (and fflate, htmlparser2) load with the first upload: reads and reading progress,
  // which share this module, never pay for them in a cold start.
  const { parseBookUpload } = await import("./upload.ts");
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
