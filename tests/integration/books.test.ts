import { describe, expect, it } from "vitest";
import { SAMPLE_BOOK_TITLE, SAMPLE_CHAPTERS, sampleBookEpub, sampleBookText } from "../fixtures/sample-book.ts";
import { getBook, putBook, putProgress, toBase64 } from "../support/books.ts";
import { realEpub } from "../support/real-epubs.ts";
import { configure } from "../support/chat-harness.ts";
import { adminSql, createUser } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";
import { beforeEach } from "vitest";

useSuiteDatabase();
beforeEach(() => configure());

const bookRows = async (uploader: string) =>
  await adminSql()<{ id: string; chapters: number; passages: number }[]>`
    select b.id, (select count(*) from public.book_chapters c where c.book = b.id)::int as chapters,
           (select count(*) from public.book_passages p where p.book = b.id)::int as passages
    from public.books b where b.uploaded_by = ${uploader}`;

describe("PUT /fine-tune-book/:bookId", () => {
  it("stores a plain-text book's chapters and passages, and an EPUB of it gives the same chapters", async () => {
    const owner = await createUser("owner");
    const text = await putBook(owner, "lantern-keeper", { text: sampleBookText(), blurb: "A keeper and her lantern." });
    expect(text.status).toBe(200);
    expect(text.json.book).toMatchObject({
      bookId: "lantern-keeper",
      title: "lantern-keeper",
      blurb: "A keeper and her lantern.",
      isPublic: false,
      format: "text",
      owned: true,
    });
    expect(text.json.book.chapters.map((c: { title: string }) => c.title)).toEqual(
      SAMPLE_CHAPTERS.map((chapter, i) => `Chapter ${i + 1}: ${chapter.title}`),
    );

    const epub = await putBook(owner, "lantern-keeper-epub", { epub: toBase64(sampleBookEpub()), isPublic: true });
    expect(epub.status).toBe(200);
    expect(epub.json.book).toMatchObject({ title: SAMPLE_BOOK_TITLE, format: "epub", isPublic: true });
    expect(epub.json.book.chapters).toEqual(text.json.book.chapters);
    expect(epub.json.book.passageCount).toBe(text.json.book.passageCount);
  });

  it("a real EPUB whose table of contents points inside one file has a chapter per entry: ?chapter=2 is the second story", async () => {
    const owner = await createUser("owner");
    const put = await putBook(owner, "childrens-literature", { epub: toBase64(realEpub("childrens-literature")) });
    expect(put.status).toBe(200);
    expect(put.json.book.chapters).toHaveLength(20);
    const second = await getBook(owner, "childrens-literature", 2);
    expect(second.status).toBe(200);
    expect(second.json.chapter).toMatchObject({ index: 2, title: "190 A FOUR-LEAVED CLOVER" });
    expect(second.json.chapter.passages[0].text).toMatch(/^The rabbis of old were good story-tellers/);
  });

  it("a second upload replaces the first with its chapters and passages, at once", async () => {
    const owner = await createUser("owner");
    await putBook(owner, "replaced", { text: sampleBookText() });
    const second = await putBook(owner, "replaced", { text: "# One\n\nFirst.\n\n# Two\n\nSecond.", format: "markdown", title: "New" });
    expect(second.status).toBe(200);
    expect(second.json.book).toMatchObject({ title: "New", format: "markdown", passageCount: 2 });
    const rows = await bookRows(owner.id);
    expect(rows).toEqual([{ id: second.json.book.id, chapters: 2, passages: 2 }]);
  });

  it("validation: neither or both of text and epub, a bad format, bad base64 or a broken EPUB are 422, nothing stored", async () => {
    const owner = await createUser("owner");
    const none = await putBook(owner, "bad", { title: "x" });
    expect(none.status).toBe(422);
    expect(none.json.error.details).toEqual([expect.objectContaining({ path: ["text"] })]);
    expect((await putBook(owner, "bad", { text: "x", epub: "eA==" })).status).toBe(422);
    expect((await putBook(owner, "bad", { text: "x", format: "epub" })).json.error.details[0].path).toEqual(["format"]);
    expect((await putBook(owner, "bad", { epub: "not base64!" })).json.error.details[0].path).toEqual(["epub"]);
    const broken = await putBook(owner, "bad", { epub: toBase64(new TextEncoder().encode("just text")) });
    expect(broken.status).toBe(422);
    expect(broken.json.error.code).toBe("invalid_epub");
    expect(await bookRows(owner.id)).toEqual([]);
  });

  it("a body over the limit is 413, and so is a book past the chapter limit; nothing stored", async () => {
    const owner = await createUser("owner");
    const huge = JSON.stringify({ text: "a".repeat(13 * 1024 * 1024) });
    const tooBig = await putBook(owner, "huge", huge);
    expect(tooBig.status).toBe(413);
    const chapters = Array.from({ length: 1001 }, (_, i) => `Chapter ${i + 1}\n\nText ${i}.`).join("\n\n");
    const tooMany = await putBook(owner, "many", { text: chapters });
    expect(tooMany.status).toBe(413);
    expect(tooMany.json.error.code).toBe("book_too_large");
    expect(await bookRows(owner.id)).toEqual([]);
  });

  it("needs a signed-in user", async () => {
    const anonymous = await putBook(null, "x", { text: "Hello." });
    expect(anonymous.status).toBe(401);
    expect((await getBook(null, "x")).status).toBe(401);
  });
});

describe("GET /fine-tune-book/:bookId", () => {
  it("the uploader reads a private book and its chapters' text; another user gets 404 until it is public", async () => {
    const owner = await createUser("owner");
    const other = await createUser("other");
    await putBook(owner, "private-book", { text: sampleBookText() });

    const own = await getBook(owner, "private-book", 3);
    expect(own.status).toBe(200);
    expect(own.json.chapter.index).toBe(3);
    expect(own.json.chapter.passages[0].text).toContain("C03P1");
    expect(own.json.chapter.passages.map((p: { position: number }) => p.position)).toEqual(
      own.json.chapter.passages.map((_: unknown, i: number) => i + 1),
    );
    expect(own.json.progress).toBeNull();
    expect((await getBook(other, "private-book")).status).toBe(404);

    await putBook(owner, "private-book", { text: sampleBookText(), isPublic: true, blurb: "No spoilers here." });
    const shared = await getBook(other, "private-book");
    expect(shared.status).toBe(200);
    expect(shared.json.book).toMatchObject({ owned: false, isPublic: true, blurb: "No spoilers here." });
    expect(shared.json.chapter).toBeUndefined();
  });

  it("the caller's own upload of a book id comes before a public one; a missing chapter is 404, a bad one 400", async () => {
    const first = await createUser("first");
    const reader = await createUser("reader");
    await putBook(first, "shared-id", { text: "Chapter 1\n\nPublic text.", isPublic: true });
    expect((await getBook(reader, "shared-id")).json.book.owned).toBe(false);
    await putBook(reader, "shared-id", { text: "Chapter 1\n\nMy own text." });
    const mine = await getBook(reader, "shared-id", 1);
    expect(mine.json.book.owned).toBe(true);
    expect(mine.json.chapter.passages[0].text).toBe("My own text.");
    expect((await getBook(reader, "shared-id", 2)).status).toBe(404);
    expect((await getBook(reader, "shared-id", "two")).status).toBe(400);
  });
});

describe("PUT /fine-tune-reading-progress/:bookId", () => {
  it("records and moves the reader's place, shown with the book", async () => {
    const owner = await createUser("owner");
    await putBook(owner, "progress-book", { text: sampleBookText(), isPublic: true });
    const reader = await createUser("reader");
    const first = await putProgress(reader, "progress-book", { chapter: 3, percent: 40 });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ success: true, bookId: "progress-book", chapter: 3, percent: 40 });
    const moved = await putProgress(reader, "progress-book", { chapter: 5 });
    expect(moved.json).toMatchObject({ chapter: 5, percent: null });
    expect((await getBook(reader, "progress-book")).json.progress).toMatchObject({ chapter: 5, percent: null });
    // Another reader's place is their own.
    expect((await getBook(owner, "progress-book")).json.progress).toBeNull();
  });

  it("validation and a book the caller cannot read: 422, 404, 401, nothing stored", async () => {
    const owner = await createUser("owner");
    await putBook(owner, "secret-book", { text: sampleBookText() });
    const reader = await createUser("reader");
    const bad = await putProgress(reader, "secret-book", { chapter: 0, percent: 120 });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.map((issue: { path: string[] }) => issue.path)).toEqual([["chapter"], ["percent"]]);
    expect((await putProgress(reader, "secret-book", { chapter: 2 })).status).toBe(404);
    expect((await putProgress(null, "secret-book", { chapter: 2 })).status).toBe(401);
    const stored = await adminSql()`select 1 from public.reading_progress where user_id = ${reader.id}`;
    expect(stored).toHaveLength(0);
  });
});
