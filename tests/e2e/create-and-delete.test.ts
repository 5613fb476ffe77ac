import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callFunction } from "../support/http.ts";
import { closeAdminSql, createUser, stack, type TestUser } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";

// Creating and deleting models over HTTP against the functions served by Deno, the real database and
// the stack's OpenAI simulator (3-second jobs). That simulator is shared with every other suite of
// the run, so this file only reads its state and never arms faults on it.

interface SimulatorState {
  jobs: { id: string; status: string; model: string; metadata: Record<string, string> | null }[];
}

async function simulatorJobsFor(modelId: string) {
  const response = await fetch(`${stack().simulatorUrl}/__simulator/state`, { signal: AbortSignal.timeout(5_000) });
  const state = await response.json() as SimulatorState;
  return state.jobs.filter((job) => job.metadata?.storyvoice_model_id === modelId);
}

/** Polls the status endpoint until the background work has recorded the provider job. */
async function waitForJobId(modelId: string, token: string): Promise<string> {
  return await waitFor(async () => {
    const { status, json } = await callFunction(`fine-tune-status/${modelId}`, { token });
    return status === 200 ? json.model.openai_job_id as string | null : null;
  }, { timeoutMs: 20_000, intervalMs: 250, description: `the provider job of model ${modelId}` });
}

const frankenstein = {
  title: "Frankenstein; or, The Modern Prometheus",
  description: "Victor Frankenstein, a young Genevan scientist, gives life to a creature assembled from the dead, " +
    "abandons it in horror, and is pursued to the Arctic by the consequences.",
  genre: "Gothic fiction",
};

const authorBody = (bookId: string) => ({ authorName: "Mary Shelley", bookId, bookInfo: frankenstein, isPublic: true });
// The seed's entity ids are uuids: the character's identity in some catalogue of the book's cast.
const VICTOR_ENTITY_ID = crypto.randomUUID();
const characterBody = (bookId: string, name = "Victor Frankenstein") => ({
  characterName: name,
  characterDescription: "A gifted, obsessive student of natural philosophy from Geneva who creates life and then " +
    "flees from what he has made.",
  bookId,
  bookInfo: { ...frankenstein, author: "Mary Shelley" },
  entityId: name === "Victor Frankenstein" ? VICTOR_ENTITY_ID : crypto.randomUUID(),
});
const quickBody = (bookId: string) => ({
  type: "character",
  entityName: "Elizabeth Lavenza",
  description: "Victor's adopted cousin and betrothed: gentle, steadfast and the moral centre of the Frankenstein household.",
  bookId,
  bookInfo: { ...frankenstein, author: "Mary Shelley" },
});

describe("creating and deleting models over HTTP", () => {
  let reader: TestUser;
  const book = `frankenstein-${crypto.randomUUID()}`;
  const created: Record<"author" | "character" | "quick", { status: number; json: any }> = {} as never;

  beforeAll(async () => {
    reader = await createUser("e2e-reader");
    created.author = await callFunction("fine-tune-author", { token: reader.token, body: authorBody(book) });
    created.character = await callFunction("fine-tune-character", { token: reader.token, body: characterBody(book) });
    created.quick = await callFunction("fine-tune-quick", { token: reader.token, body: quickBody(book) });
  });
  afterAll(closeAdminSql);

  it("answers 202 with the pending author model, its job info and the estimated time", () => {
    const { status, json } = created.author;
    expect(status).toBe(202);
    expect(Object.keys(json)).toEqual(["success", "model", "jobInfo", "estimatedTime"]);
    expect(json).toMatchObject({
      success: true,
      model: {
        type: "author",
        name: "Mary Shelley",
        entity_name: "Mary Shelley",
        book_id: book,
        book_info: { ...frankenstein, author: "Mary Shelley" },
        is_public: true,
        quick_tune: false,
        status: "pending",
        chat_mode: "persona",
        created_by: reader.id,
      },
      jobInfo: { jobId: null, estimatedTime: json.estimatedTime },
    });
    expect(json.estimatedTime).toEqual(expect.any(String));
    expect(json.estimatedTime.length).toBeGreaterThan(0);
  });

  it("answers 202 with the pending character model", () => {
    const { status, json } = created.character;
    expect(status).toBe(202);
    expect(Object.keys(json)).toEqual(["success", "model", "jobInfo", "estimatedTime"]);
    expect(json.model).toMatchObject({
      type: "character",
      name: "Victor Frankenstein",
      entity_id: VICTOR_ENTITY_ID,
      description: characterBody(book).characterDescription,
      is_public: false,
      quick_tune: false,
      status: "pending",
    });
    expect(json.jobInfo).toEqual({ jobId: null, estimatedTime: json.estimatedTime });
  });

  it("answers 202 with the pending quick model and quickTune", () => {
    const { status, json } = created.quick;
    expect(status).toBe(202);
    expect(Object.keys(json)).toEqual(["success", "model", "quickTune", "jobInfo", "estimatedTime"]);
    expect(json).toMatchObject({
      success: true,
      quickTune: true,
      model: { type: "character", name: "Elizabeth Lavenza", quick_tune: true, status: "pending" },
      jobInfo: { jobId: null, estimatedTime: json.estimatedTime },
    });
  });

  it("lists the three new models for the book", async () => {
    const { status, json } = await callFunction(`fine-tune-models?bookId=${encodeURIComponent(book)}`, { token: reader.token });
    expect(status).toBe(200);
    const ids = json.models.map((model: { id: string }) => model.id).sort();
    expect(ids).toEqual([created.author.json.model.id, created.character.json.model.id, created.quick.json.model.id].sort());

    const characters = await callFunction(`fine-tune-models?bookId=${encodeURIComponent(book)}&type=character`, {
      token: reader.token,
    });
    expect(characters.json.models.map((model: { id: string }) => model.id).sort()).toEqual(
      [created.character.json.model.id, created.quick.json.model.id].sort(),
    );
  });

  it("shows each model on the status endpoint", async () => {
    for (const { json: { model } } of Object.values(created)) {
      const { status, json } = await callFunction(`fine-tune-status/${model.id}`, { token: reader.token });
      expect(status).toBe(200);
      expect(json.model).toMatchObject({ id: model.id, name: model.name, type: model.type, book_id: book });
      expect(["pending", "training", "completed"]).toContain(json.status);
    }
  });

  it("starts exactly one provider job per model in the background, within 20 seconds", async () => {
    const models = Object.values(created).map(({ json }) => json.model as { id: string });
    const jobIds = await Promise.all(models.map((model) => waitForJobId(model.id, reader.token)));
    for (const [index, model] of models.entries()) {
      const jobs = await simulatorJobsFor(model.id);
      expect(jobs.map((job) => job.id)).toEqual([jobIds[index]]);
    }
    expect(new Set(jobIds).size).toBe(3);
  });

  it("answers 409 with the existing model to a second identical create", async () => {
    const again = await callFunction("fine-tune-author", { token: reader.token, body: authorBody(book) });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({
      success: false,
      error: { code: "already_exists" },
      model: { id: created.author.json.model.id },
    });

    const quickAgain = await callFunction("fine-tune-quick", { token: reader.token, body: quickBody(book) });
    expect(quickAgain.status).toBe(409);
    expect(quickAgain.json.model.id).toBe(created.quick.json.model.id);
  });

  it("deletes a model: gone from the list, 404 on the status endpoint", async () => {
    // Its own model, so the other tests keep theirs whatever the order.
    const { status, json } = await callFunction("fine-tune-character", {
      token: reader.token,
      body: characterBody(book, "Henry Clerval"),
    });
    expect(status).toBe(202);
    const modelId = json.model.id as string;
    await waitForJobId(modelId, reader.token);

    const deleted = await callFunction(`fine-tune-delete/${modelId}`, { method: "DELETE", token: reader.token });

    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ success: true, message: "Model deleted." });
    const list = await callFunction(`fine-tune-models?bookId=${encodeURIComponent(book)}`, { token: reader.token });
    expect(list.json.models.map((model: { id: string }) => model.id)).not.toContain(modelId);
    expect(list.json.models).toHaveLength(3);
    const afterDelete = await callFunction(`fine-tune-status/${modelId}`, { token: reader.token });
    expect(afterDelete.status).toBe(404);
    expect((await callFunction(`fine-tune-delete/${modelId}`, { method: "DELETE", token: reader.token })).status).toBe(404);
  });

  it("refuses another user's delete with 404 and keeps the model", async () => {
    const stranger = await createUser("e2e-stranger");
    const publicModel = created.author.json.model.id;
    const refused = await callFunction(`fine-tune-delete/${publicModel}`, { method: "DELETE", token: stranger.token });
    expect(refused.status).toBe(404);
    expect((await callFunction(`fine-tune-status/${publicModel}`, { token: stranger.token })).status).toBe(200);
  });

  it("answers 401 to a create without a token and 422 with issue paths to a bad body", async () => {
    const anonymous = await callFunction("fine-tune-author", { body: authorBody(book) });
    expect(anonymous.status).toBe(401);

    const bad = await callFunction("fine-tune-quick", {
      token: reader.token,
      body: { ...quickBody(book), type: "narrator", entityName: "" },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.map((issue: { path: string[] }) => issue.path.join(".")).sort()).toEqual(["entityName", "type"]);
  });
});
