import { beforeAll, describe, expect, it } from "vitest";
import createAuthor from "../../functions/fine-tune-author/handler.ts";
import createCharacter from "../../functions/fine-tune-character/handler.ts";
import createQuick from "../../functions/fine-tune-quick/handler.ts";
import { DEFAULT_FINE_TUNE_BASE_MODEL } from "../../shared/env.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import {
  author,
  backgroundSettled,
  bookId,
  call,
  character,
  quick,
  useCreateModelHarness,
} from "../support/create-model-harness.ts";
import { type TestUser, useStackEnvironment } from "../support/stack.ts";

const { sim, createOwner, jobsFor } = useCreateModelHarness();

let alice: TestUser;

beforeAll(async () => {
  alice = await createOwner("create-alice");
});

describe("creating models", () => {
  const ISLA_ENTITY_ID = "6f1d2c3b-4a59-4e68-9b7a-0c1d2e3f4a5b";

  it("an author: 202 with the pending model, then the background work starts its job", async () => {
    const book = bookId();
    const { status, json } = await call(createAuthor, "fine-tune-author", {
      token: alice.token,
      body: { ...author, bookId: book, isPublic: true },
    });

    expect(status).toBe(202);
    expect(Object.keys(json)[0]).toBe("success");
    expect(json).toMatchObject({
      success: true,
      model: {
        type: "author",
        name: "Maren Hale",
        entity_name: "Maren Hale",
        book_id: book,
        book_info: { ...author.bookInfo, author: "Maren Hale" },
        is_public: true,
        quick_tune: false,
        base_model: DEFAULT_FINE_TUNE_BASE_MODEL,
        status: "pending",
        chat_mode: "persona",
        created_by: alice.id,
        openai_job_id: null,
      },
      jobInfo: { jobId: null, estimatedTime: "20-40 minutes" },
      estimatedTime: "20-40 minutes",
    });
    expect(json.model.id).toMatch(/^[0-9a-f-]{36}$/);

    const settled = await backgroundSettled(json.model.id);
    const jobs = jobsFor(json.model.id);
    expect(jobs).toHaveLength(1);
    expect(settled.openai_job_id).toBe(jobs[0].id);
    expect(jobs[0].hyperparameters.n_epochs).toBe(3);
  });

  it("a character: 202 with its description and the book's author", async () => {
    const book = bookId();
    const { status, json } = await call(createCharacter, "fine-tune-character", {
      token: alice.token,
      body: { ...character, bookId: book, entityId: ISLA_ENTITY_ID },
    });

    expect(status).toBe(202);
    expect(json).toMatchObject({
      success: true,
      model: {
        type: "character",
        name: "Isla Corran",
        entity_id: ISLA_ENTITY_ID,
        description: character.characterDescription,
        book_info: character.bookInfo,
        is_public: false,
        quick_tune: false,
        status: "pending",
      },
      jobInfo: { jobId: null, estimatedTime: "20-40 minutes" },
    });
    await backgroundSettled(json.model.id);
    expect(jobsFor(json.model.id)).toHaveLength(1);
  });

  it("a quick model: 202 with quickTune, and a job with fewer epochs", async () => {
    const { status, json } = await call(createQuick, "fine-tune-quick", {
      token: alice.token,
      body: { ...quick, bookId: bookId(), baseModel: "gpt-4o-mini-2024-07-18" },
    });

    expect(status).toBe(202);
    expect(json).toMatchObject({
      success: true,
      quickTune: true,
      model: { type: "character", name: "Tomas Corran", quick_tune: true, base_model: "gpt-4o-mini-2024-07-18", status: "pending" },
      jobInfo: { jobId: null, estimatedTime: "10-20 minutes" },
      estimatedTime: "10-20 minutes",
    });
    await backgroundSettled(json.model.id);
    const [job] = jobsFor(json.model.id);
    expect(job.hyperparameters.n_epochs).toBe(2);
    expect(job.model).toBe("gpt-4o-mini-2024-07-18");
  });

  it("without an API key: 202, and the model becomes ready in persona mode", async () => {
    useStackEnvironment({ OPENAI_API_KEY: undefined });
    resetOpenAI();
    const { status, json } = await call(createAuthor, "fine-tune-author", {
      token: alice.token,
      body: { ...author, bookId: bookId() },
    });

    expect(status).toBe(202);
    expect(json.estimatedTime).toBe("under a minute (persona mode)");
    const settled = await backgroundSettled(json.model.id);
    expect(settled.status).toBe("ready");
    expect(sim.chatRequests).toHaveLength(0);
    expect(sim.jobs.size).toBe(0);
  });
});
