import { beforeEach, describe, expect, it } from "vitest";
import { getBook, putBook, toBase64 } from "../support/books.ts";
import { configure } from "../support/chat-harness.ts";
import { deeplyNestedContainer, epubWith, lyingZipBomb, manyNavEntries } from "../support/hostile-epubs.ts";
import { adminSql, createUser, type TestUser } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

useSuiteDatabase();
beforeEach(() => configure());

const MiB = 1024 * 1024;

/**
 * PUT /fine-tune-book in-process: the answer, how long it took and how far the process's resident
 * memory rose (the figure the hostile files are held to; it is logged for the record).
 */
async function timedUpload(user: TestUser, label: string, body: unknown) {
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const answer = await putBook(user, `hostile-${label}`, body);
  const elapsedMs = performance.now() - started;
  const rssDeltaMiB = (process.memoryUsage().rss - rssBefore) / MiB;
  console.info(`${label}: ${answer.status} in ${elapsedMs.toFixed(0)} ms, rss +${rssDeltaMiB.toFixed(1)} MiB`);
  return { ...answer, elapsedMs, rssDeltaMiB };
}

const epub = (bytes: Uint8Array) => ({ epub: toBase64(bytes) });

describe("PUT /fine-tune-book/:bookId with hostile files", () => {
  it("each answers a 4xx JSON error naming its problem, in under a second, memory bounded; nothing stored", async () => {
    const user = await createUser("hostile");
    // The parsers load with the first upload: that one-off is not what is timed here.
    expect((await putBook(user, "warm-up", epub(epubWith()))).status).toBe(200);
    const cases = [
      { label: "nul-in-chapter", body: epub(epubWith({ chapter: "Before\u0000after. ".repeat(30) })), status: 422, code: "invalid_epub", message: /NUL/ },
      { label: "nul-in-title", body: epub(epubWith({ title: "A\u0000Title" })), status: 422, code: "invalid_epub", message: /NUL/ },
      { label: "broken-percent-escape", body: epub(epubWith({ href: "a%ZZ.html" })), status: 422, code: "invalid_epub", message: /percent-encoding/ },
      { label: "base64-of-4n+1", body: { epub: "AAAAA" }, status: 422, code: "validation_failed", message: /invalid/ },
      { label: "zip-bomb-1gib-declared-4kib", body: epub(lyingZipBomb()), status: 422, code: "invalid_epub", message: /declares/ },
      { label: "container-nested-8000-deep", body: epub(deeplyNestedContainer()), status: 422, code: "invalid_epub", message: /levels deep/ },
    ];
    const expected = [];
    const answered = [];
    for (const { label, body, status, code, message } of cases) {
      const answer = await timedUpload(user, label, body);
      expected.push({ label, status, success: false, code, message: expect.stringMatching(message), details: [expect.objectContaining({ path: ["epub"] })], underOneSecond: true, rssBelowLimit: true });
      answered.push({
        label,
        status: answer.status,
        success: answer.json?.success,
        code: answer.json?.error?.code,
        message: answer.json?.error?.message,
        details: answer.json?.error?.details,
        // Generous: each takes a few milliseconds (the bomb inflates ~4 MiB before it is refused).
        underOneSecond: answer.elapsedMs < 1000,
        rssBelowLimit: answer.rssDeltaMiB < 128,
      });
    }
    expect(answered).toEqual(expected);
    expect(await adminSql()`select book_id from public.books where uploaded_by = ${user.id}`).toEqual([{ book_id: "warm-up" }]);
  });

  it("a table of contents of 1200 entries into one file is cut linearly: 413 past the chapter limit, in under two seconds", async () => {
    const user = await createUser("hostile");
    expect((await putBook(user, "warm-up", epub(epubWith()))).status).toBe(200);
    const answer = await timedUpload(user, "nav-1200-entries-in-one-file", epub(manyNavEntries(1200)));
    expect({ status: answer.status, code: answer.json.error.code, message: answer.json.error.message }).toEqual({
      status: 413,
      code: "book_too_large",
      message: "The book has 1200 chapters; at most 1000 are taken.",
    });
    // It parses the whole book (~100 ms idle): the bound leaves room for a loaded machine.
    expect(answer.elapsedMs).toBeLessThan(2000);
    expect(answer.rssDeltaMiB).toBeLessThan(128);
  });

  it("takes base64 wrapped at 76 columns (LF or CRLF), as most tools write it", async () => {
    const user = await createUser("wrapped");
    const base64 = toBase64(epubWith({ chapter: "A chapter long enough. ".repeat(20) }));
    for (const newline of ["\n", "\r\n"]) {
      const wrapped = base64.match(/.{1,76}/g)!.join(newline) + newline;
      const stored = await putBook(user, `wrapped-${newline.length}`, { epub: wrapped });
      expect(stored.status).toBe(200);
      expect(stored.json.book).toMatchObject({ title: "A Title", format: "epub", chapters: [expect.objectContaining({ title: "One" })] });
    }
    expect((await getBook(user, "wrapped-1")).status).toBe(200);
  });
});
