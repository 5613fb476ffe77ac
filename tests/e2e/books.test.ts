import { afterAll, describe, expect, it } from "vitest";
import { sampleBookEpub, sampleBookText } from "../fixtures/sample-book.ts";
import { callFunction } from "../support/http.ts";
import { insertModel } from "../support/models.ts";
import { readEventStream } from "../support/sse.ts";
import { closeAdminSql, createUser, stack } from "../support/stack.ts";

// Books, reading progress and cited chat over HTTP against the functions served by Deno and the
// stack's simulator; every answer is checked against openapi.json.
describe("books over HTTP", () => {
  afterAll(closeAdminSql);

  it("uploads an EPUB, reads a chapter, records a place, and a streamed chat cites only what was read", async () => {
    const owner = await createUser("owner");
    const bookId = `lantern-e2e-${crypto.randomUUID().slice(0, 8)}`;
    const epub = Buffer.from(sampleBookEpub()).toString("base64");
    const uploaded = await callFunction(`fine-tune-book/${bookId}`, { method: "PUT", token: owner.token, body: { epub, isPublic: true } });
    expect(uploaded.status).toBe(200);
    expect(uploaded.json.book.chapters).toHaveLength(12);

    const text = await callFunction(`fine-tune-book/${bookId}-text`, { method: "PUT", token: owner.token, body: { text: sampleBookText() } });
    expect(text.json.book.chapters).toEqual(uploaded.json.book.chapters);

    const reader = await createUser("reader");
    const chapter = await callFunction(`fine-tune-book/${bookId}?chapter=2`, { token: reader.token });
    expect(chapter.status).toBe(200);
    expect(chapter.json.chapter.passages[0].text).toContain("C02P1");

    const place = await callFunction(`fine-tune-reading-progress/${bookId}`, { method: "PUT", token: reader.token, body: { chapter: 4, percent: 50 } });
    expect(place.json).toMatchObject({ chapter: 4, percent: 50 });

    const modelId = await insertModel(owner.id, { book_id: bookId, is_public: true, entity_name: "Mara", type: "character" });
    const response = await fetch(`${stack().functionsUrl}/fine-tune-chat/${modelId}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${reader.token}`, "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ message: "Tell me about the accordion and the shipwreck" }),
    });
    const events = await readEventStream(response);
    const done = events.find((event) => event.event === "done");
    const chapters = done!.data.citations.map((citation: { chapter: number }) => citation.chapter);
    expect(chapters).toContain(4);
    expect(Math.max(...chapters)).toBeLessThanOrEqual(4);

    const json = await callFunction(`fine-tune-chat/${modelId}`, {
      token: reader.token,
      body: { message: "And the shipwreck?", readingPosition: { chapter: 11 } },
    });
    expect(json.status).toBe(200);
    expect(json.json.citations[0].chapter).toBe(11);
  });

  it("answers 401, 404, 413 and 422 as documented", async () => {
    const user = await createUser("user");
    expect((await callFunction("fine-tune-book/anything")).status).toBe(401);
    expect((await callFunction(`fine-tune-book/missing-${crypto.randomUUID()}`, { token: user.token })).status).toBe(404);
    expect((await callFunction(`fine-tune-reading-progress/missing-${crypto.randomUUID()}`, { method: "PUT", token: user.token, body: { chapter: 1 } })).status).toBe(404);
    const invalid = await callFunction("fine-tune-book/x", { method: "PUT", token: user.token, body: { title: "No text" } });
    expect(invalid.status).toBe(422);
    const tooMany = Array.from({ length: 1001 }, (_, i) => `Chapter ${i + 1}\n\nText ${i}.`).join("\n\n");
    const large = await callFunction("fine-tune-book/x", { method: "PUT", token: user.token, body: { text: tooMany } });
    expect(large.status).toBe(413);
  });
});
