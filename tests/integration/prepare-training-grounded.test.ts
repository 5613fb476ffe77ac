import { describe, expect, it } from "vitest";
import { toBookChapters } from "../../shared/books/chapters.ts";
import { parsePlainTextBook } from "../../shared/books/parse-text.ts";
import { prepareTraining } from "../../shared/lifecycle/prepare-training.ts";
import { paragraphCodes, SAMPLE_BOOK_TITLE, sampleBookText } from "../fixtures/sample-book.ts";
import { usePrepareTrainingHarness } from "../support/prepare-training-harness.ts";
import { adminSql, createUser } from "../support/stack.ts";

const { sim, insertPendingModel } = usePrepareTrainingHarness();

/** Stores the sample book as `uploader`'s (default: the model owner's) upload of the model's book id. */
async function uploadSampleBookFor(modelId: string, uploader?: string) {
  const [model] = await adminSql()<{ created_by: string; book_id: string }[]>`
    select created_by, book_id from private.fine_tuned_models where id = ${modelId}`;
  const chapters = toBookChapters(parsePlainTextBook(sampleBookText(), SAMPLE_BOOK_TITLE));
  await adminSql()`
    select private.replace_book(${uploader ?? model.created_by}, ${model.book_id}, ${SAMPLE_BOOK_TITLE}, null, false, 'text',
                                ${adminSql().json(chapters as never)})`;
}

/** What the teacher was sent when it was asked for training examples. */
function examplesRequests() {
  return sim.chatRequests.filter((request) =>
    JSON.stringify((request.response_format as { json_schema?: { name?: string } } | undefined)?.json_schema?.name) ===
      '"training_examples"'
  );
}

describe("prepareTraining: examples grounded in the book's text", () => {
  it("a persona whose book has text: the teacher is given real passages from across the book, by chapter", async () => {
    const id = await insertPendingModel({ type: "character", entity_name: "Mara" });
    await uploadSampleBookFor(id);

    expect(await prepareTraining(id)).toBe("job-started");

    const requests = examplesRequests();
    expect(requests.length).toBeGreaterThan(0);
    const [system, user] = requests[0].messages as { role: string; content: string }[];
    expect(system.content).toMatch(/Ground the answers in them/);
    expect(user.content).toMatch(/<book_passages>\n\[chapter 1\] /);
    const chapters = new Set(paragraphCodes(user.content).map((code) => Number(code.slice(1, 3))));
    // Spread over the book: its opening and its last chapters both.
    expect(chapters.has(1)).toBe(true);
    expect(Math.max(...chapters)).toBeGreaterThanOrEqual(11);
    expect(paragraphCodes(user.content).length).toBeGreaterThanOrEqual(4);
  });

  it("a persona whose book has no text it may use (only another user's private upload): no passages, as before", async () => {
    const id = await insertPendingModel();
    await uploadSampleBookFor(id, (await createUser("stranger")).id);
    expect(await prepareTraining(id)).toBe("job-started");
    const [system, user] = examplesRequests()[0].messages as { role: string; content: string }[];
    expect(user.content).not.toContain("<book_passages>");
    expect(system.content).not.toMatch(/Book passages/);
  });
});
