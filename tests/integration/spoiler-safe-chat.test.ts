import { describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import { paragraphCodes, SAMPLE_CHAPTERS, sampleBookEpub, sampleBookText } from "../fixtures/sample-book.ts";
import { putBook, putProgress, toBase64 } from "../support/books.ts";
import { chatRequest, configure, send, useChatHarness } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { readEventStream } from "../support/sse.ts";
import { adminSql, createUser, type TestUser } from "../support/stack.ts";

const { sim } = useChatHarness();

const BLURB = "On a windswept island, a young keeper tends the lantern that guides ships home.";

interface Passage {
  id: number;
  chapter: number;
  position: number;
  codes: string[];
}

/** Every passage of the upload, in order, with the paragraph codes it holds. */
async function passagesOf(bookUuid: string): Promise<Passage[]> {
  const rows = await adminSql()<{ id: number; chapter: number; position: number; content: string }[]>`
    select id::float8 as id, chapter, position, content from public.book_passages
    where book = ${bookUuid} order by chapter, position`;
  return rows.map((row) => ({ id: row.id, chapter: row.chapter, position: row.position, codes: paragraphCodes(row.content) }));
}

/** The passages a reader at `chapter`/`percent` has read: the only ones a request may carry. */
function readSoFar(passages: Passage[], chapter: number, percent?: number): Passage[] {
  const inChapter = passages.filter((p) => p.chapter === chapter).length;
  const last = percent === undefined ? inChapter : Math.floor((inChapter * percent) / 100);
  return passages.filter((p) => p.chapter < chapter || (p.chapter === chapter && p.position <= last));
}

/** The paragraph codes in what the provider received for the latest request. */
function codesInLastRequest(): string[] {
  return paragraphCodes(JSON.stringify(sim.chatRequests.at(-1)?.messages ?? []));
}

/** A persona of the sample book whose owner uploaded its text (as text or as EPUB). */
async function arrangeBook(as: "text" | "epub" = "text") {
  const owner = await createUser("owner");
  const bookId = `lantern-${crypto.randomUUID().slice(0, 8)}`;
  const upload = await putBook(owner, bookId, as === "text"
    ? { text: sampleBookText(), blurb: BLURB, isPublic: true }
    : { epub: toBase64(sampleBookEpub()), blurb: BLURB, isPublic: true });
  expect(upload.status).toBe(200);
  const modelId = await insertModel(owner.id, {
    type: "character",
    entity_name: "Mara",
    name: "Mara",
    book_id: bookId,
    is_public: true,
    status: "ready",
  });
  return { owner, bookId, modelId, passages: await passagesOf(upload.json.book.id) };
}

describe("spoiler-safe chat", () => {
  it("a reader with no place set gets the public blurb and no passage", async () => {
    const { modelId } = await arrangeBook();
    const reader = await createUser("reader");
    const { status, json } = await send(reader, modelId, { message: "What happens at the shipwreck?" });
    expect(status).toBe(200);
    expect(json.citations).toEqual([]);
    const system = (sim.chatRequests[0].messages as { content: string }[])[0].content;
    expect(system).toContain(BLURB);
    expect(system).toMatch(/not said how far they have read/);
    expect(codesInLastRequest()).toEqual([]);
  });

  it("at chapter 3 only chapters 1-3 are cited; moved to chapter 10, chapter 10 comes in", async () => {
    const { bookId, modelId, passages } = await arrangeBook();
    const reader = await createUser("reader");
    expect((await putProgress(reader, bookId, { chapter: 3 })).status).toBe(200);

    const early = await send(reader, modelId, { message: "Tell me about the inferno on the headland and the barometer" });
    expect(early.status).toBe(200);
    expect(early.json.citations.length).toBeGreaterThan(0);
    expect(new Set(early.json.citations.map((c: { chapter: number }) => c.chapter))).toEqual(new Set([3]));
    for (const code of codesInLastRequest()) expect(Number(code.slice(1, 3))).toBeLessThanOrEqual(3);
    const system = (sim.chatRequests.at(-1)!.messages as { content: string }[])[0].content;
    expect(system).toContain('chapter 3 ("Chapter 3: The Storm Warning")');
    expect(system).toMatch(/Never reveal/);

    await putProgress(reader, bookId, { chapter: 10 });
    const later = await send(reader, modelId, { message: "Tell me about the inferno on the headland" });
    const chapters = later.json.citations.map((c: { chapter: number }) => c.chapter);
    expect(chapters).toContain(10);
    expect(Math.max(...chapters)).toBeLessThanOrEqual(10);
    // Best first: the passage with chapter 10's event (its second paragraph).
    expect(later.json.citations[0]).toEqual({ chapter: 10, passageId: expect.any(Number), excerpt: expect.stringContaining("C10P1") });
    expect(passages.find((p) => p.id === later.json.citations[0].passageId)!.codes).toContain("C10P2");
  });

  it("sweep: at every place in the book, for every question, no later passage reaches the provider (text and EPUB)", async () => {
    configure({ DAILY_CHAT_QUOTA: "100000" });
    const aboutChapter = (n: number) => `What do you remember of the ${SAMPLE_CHAPTERS[n - 1].secret}?`;
    const general = ["Tell me everything about the lantern and the harbour, from the start to the very end.", "Qwzx plorf?"];
    // The text upload gets every question at every place. The EPUB's passages go through the same
    // retrieval, so there every place gets the questions nearest a spoiler: the next chapter's
    // secret, the current one's, and the two general ones.
    const questionsAt = (as: "text" | "epub", chapter: number) =>
      as === "text"
        ? [...SAMPLE_CHAPTERS.map((_, i) => aboutChapter(i + 1)), ...general]
        : [...[chapter + 1, chapter].filter((n) => n >= 1 && n <= SAMPLE_CHAPTERS.length).map(aboutChapter), ...general];
    for (const as of ["text", "epub"] as const) {
      const { modelId, passages, bookId } = await arrangeBook(as);
      const reader: TestUser = await createUser("reader");
      let turns = 0;
      for (let chapter = 1; chapter <= SAMPLE_CHAPTERS.length + 1; chapter++) {
        for (const percent of [0, 50, undefined]) {
          const allowed = readSoFar(passages, chapter, percent);
          const allowedCodes = new Set(allowed.flatMap((p) => p.codes));
          const allowedIds = new Set(allowed.map((p) => p.id));
          const questions = questionsAt(as, chapter);
          for (const [q, message] of questions.entries()) {
            // Alternate the request's own place with the stored one: both paths are swept.
            const viaProgress = q % 2 === 0;
            if (viaProgress) await putProgress(reader, bookId, percent === undefined ? { chapter } : { chapter, percent });
            const { status, json } = await send(reader, modelId, {
              message,
              ...(viaProgress ? {} : { readingPosition: percent === undefined ? { chapter } : { chapter, percent } }),
            });
            expect(status).toBe(200);
            turns++;
            const leaked = codesInLastRequest().filter((code) => !allowedCodes.has(code));
            expect(leaked, `${as}, chapter ${chapter} at ${percent ?? "end"}%, "${message}"`).toEqual([]);
            // Not vacuous: wherever the reader has read something, passages of it do come.
            if (allowed.length > 0) expect(codesInLastRequest().length).toBeGreaterThan(0);
            for (const citation of json.citations) expect(allowedIds.has(citation.passageId)).toBe(true);
          }
        }
      }
      // 13 places (12 chapters and past the end) at 3 points each; all 14 questions or at least the general two.
      if (as === "text") expect(turns).toBe(13 * 3 * 14);
      else expect(turns).toBeGreaterThanOrEqual(13 * 3 * general.length);
    }
  }, 240_000);

  it("a question about a later chapter's event falls back to what the reader has just read", async () => {
    const { modelId, passages } = await arrangeBook();
    const reader = await createUser("reader");
    const { json } = await send(reader, modelId, { message: "Was there a shipwreck?", readingPosition: { chapter: 4, percent: 50 } });
    const allowed = new Set(readSoFar(passages, 4, 50).map((p) => p.id));
    expect(json.citations.length).toBeGreaterThan(0);
    for (const citation of json.citations) expect(allowed.has(citation.passageId)).toBe(true);
    expect(JSON.stringify(sim.chatRequests.at(-1)!.messages)).not.toContain("shipwreck everyone");
  });

  it("streamed, the done event carries the citations", async () => {
    const { modelId, passages } = await arrangeBook();
    const reader = await createUser("reader");
    const response = await chat(chatRequest(reader, modelId, {
      message: "Tell me about the prism",
      stream: true,
      readingPosition: { chapter: 6 },
    }));
    const events = await readEventStream(response);
    const done = events.find((event) => event.event === "done");
    expect(done?.data.citations.length).toBeGreaterThan(0);
    expect(done?.data.citations[0]).toMatchObject({ chapter: 5, excerpt: expect.stringContaining("C05P1") });
    expect(passages.find((p) => p.id === done?.data.citations[0].passageId)!.codes).toContain("C05P2");
  });

  it("a private book reaches only its owner's chats: another reader of the public persona gets a plain chat", async () => {
    const owner = await createUser("owner");
    const bookId = `private-${crypto.randomUUID().slice(0, 8)}`;
    await putBook(owner, bookId, { text: sampleBookText() });
    const modelId = await insertModel(owner.id, { book_id: bookId, is_public: true, entity_name: "Mara" });
    const reader = await createUser("reader");
    const theirs = await send(reader, modelId, { message: "The prism?", readingPosition: { chapter: 12 } });
    expect(theirs.json.citations).toEqual([]);
    expect(codesInLastRequest()).toEqual([]);
    const own = await send(owner, modelId, { message: "The prism?", readingPosition: { chapter: 12 } });
    expect(own.json.citations.length).toBeGreaterThan(0);
  });

  it("a persona without book text chats as before, with no citations; a bad readingPosition is 422", async () => {
    const user = await createUser("plain");
    const modelId = await insertModel(user.id, { book_id: "no-text-here" });
    const plain = await send(user, modelId, { message: "Hello" });
    expect(plain.json.citations).toEqual([]);
    const system = (sim.chatRequests.at(-1)!.messages as { content: string }[])[0].content;
    expect(system).not.toMatch(/reader of/);
    const bad = await send(user, modelId, { message: "Hello", readingPosition: { chapter: 0 } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details[0].path).toEqual(["readingPosition", "chapter"]);
  });
});
