import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import createAuthor from "../../functions/fine-tune-author/handler.ts";
import createCharacter from "../../functions/fine-tune-character/handler.ts";
import createQuick from "../../functions/fine-tune-quick/handler.ts";
import { closeDatabase } from "../../shared/db/client.ts";
import { DEFAULT_FINE_TUNE_BASE_MODEL } from "../../shared/env.ts";
import { resetOpenAI } from "../../shared/providers/openai-client.ts";
import { signLocalToken } from "../../supabase/local/dev-keys.ts";
import { createOpenAISimulator, failOnUnhandledRequest } from "../mocks/openai/simulator.ts";
import { adminSql, closeAdminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";

// The three create endpoints in-process (their handlers called with a Request) on the stack's real
// database, with their background training work answered by this file's own OpenAI simulator.
const sim = createOpenAISimulator({ jobDurationMs: 60_000 });
const server = setupServer(...sim.handlers);

type Handler = (request: Request) => Promise<Response>;

const author = {
  authorName: "Maren Hale",
  bookInfo: {
    title: "The Lighthouse at Wrack Point",
    description: "A keeper's daughter pieces together why her father let the light go dark on the night of the wreck.",
    genre: "Literary mystery",
  },
};
const character = {
  characterName: "Isla Corran",
  characterDescription: "The keeper's daughter, seventeen, who rows out alone the morning after the wreck.",
  bookInfo: { title: "The Lighthouse at Wrack Point", author: "Maren Hale", genre: "Literary mystery" },
};
const quick = {
  type: "character",
  entityName: "Tomas Corran",
  description: "The lighthouse keeper, a widower who has kept the light for thirty years.",
  bookInfo: {
    title: "The Lighthouse at Wrack Point",
    author: "Maren Hale",
    description: "A keeper's daughter pieces together why her father let the light go dark.",
  },
};

function post(handler: Handler, name: string, options: {
  token?: string;
  body?: unknown;
  method?: string;
  contentType?: string;
}): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": options.contentType ?? "application/json" };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const method = options.method ?? "POST";
  const body = options.body === undefined || method === "GET"
    ? undefined
    : typeof options.body === "string"
    ? options.body
    : JSON.stringify(options.body);
  return handler(new Request(`http://127.0.0.1:54321/functions/v1/${name}`, { method, headers, body }));
}

async function call(handler: Handler, name: string, options: Parameters<typeof post>[2]) {
  const response = await post(handler, name, options);
  return { status: response.status, headers: response.headers, json: await response.json() as any };
}

async function countModels(ownerId: string): Promise<number> {
  const [{ count }] = await adminSql()<{ count: number }[]>`
    select count(*)::int as count from public.fine_tuned_models where created_by = ${ownerId}`;
  return count;
}

/**
 * Waits until the background preparation of the model has finished (a job recorded, or a final
 * status), so no test's background work runs into the next test's simulator state.
 */
async function backgroundSettled(modelId: string) {
  return await waitFor(async () => {
    const [row] = await adminSql()<{ status: string; openai_job_id: string | null; lease_expires_at: Date | null }[]>`
      select status, openai_job_id, lease_expires_at from public.fine_tuned_models where id = ${modelId}`;
    const done = row && row.lease_expires_at === null && (row.openai_job_id !== null || row.status !== "pending");
    return done ? row : undefined;
  }, { timeoutMs: 15_000, intervalMs: 50, description: `the background preparation of ${modelId}` });
}

const bookId = () => `book-${crypto.randomUUID()}`;
const jobsFor = (modelId: string) =>
  [...sim.jobs.values()].filter((job) => job.metadata?.storyvoice_model_id === modelId);

let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: failOnUnhandledRequest });
  alice = await createUser("create-alice");
  bob = await createUser("create-bob");
});
beforeEach(() => {
  sim.reset();
  useStackEnvironment({ FINE_TUNING_ENABLED: undefined });
  resetOpenAI();
});
afterEach(() => server.resetHandlers());
afterAll(async () => {
  server.close();
  // The rows carry this simulator's job ids: keep the stack's sync from chasing them afterwards.
  await adminSql()`delete from public.fine_tuned_models where created_by in (${alice.id}, ${bob.id})`;
  await closeDatabase();
  await closeAdminSql();
});

describe("creating models", () => {
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
        entityName: "Maren Hale",
        bookId: book,
        bookInfo: { ...author.bookInfo, author: "Maren Hale" },
        isPublic: true,
        quickTune: false,
        baseModel: DEFAULT_FINE_TUNE_BASE_MODEL,
        status: "pending",
        mode: "persona",
        createdBy: alice.id,
        openaiJobId: null,
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
      body: { ...character, bookId: book, entityId: "isla" },
    });

    expect(status).toBe(202);
    expect(json).toMatchObject({
      success: true,
      model: {
        type: "character",
        name: "Isla Corran",
        entityId: "isla",
        description: character.characterDescription,
        bookInfo: character.bookInfo,
        isPublic: false,
        quickTune: false,
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
      body: { ...quick, bookId: bookId(), baseModel: "gpt-4.1-nano-2025-04-14" },
    });

    expect(status).toBe(202);
    expect(json).toMatchObject({
      success: true,
      quickTune: true,
      model: { type: "character", name: "Tomas Corran", quickTune: true, baseModel: "gpt-4.1-nano-2025-04-14", status: "pending" },
      jobInfo: { jobId: null, estimatedTime: "10-20 minutes" },
      estimatedTime: "10-20 minutes",
    });
    await backgroundSettled(json.model.id);
    const [job] = jobsFor(json.model.id);
    expect(job.hyperparameters.n_epochs).toBe(2);
    expect(job.model).toBe("gpt-4.1-nano-2025-04-14");
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

describe("one live model per owner, kind, book and entity", () => {
  it("20 identical requests at once: one 202 and one job; 19 answer 409 with that model", async () => {
    const book = bookId();
    const before = await countModels(alice.id);

    const responses = await Promise.all(Array.from({ length: 20 }, () =>
      call(createAuthor, "fine-tune-author", { token: alice.token, body: { ...author, bookId: book } })
    ));

    const created = responses.filter((response) => response.status === 202);
    const conflicts = responses.filter((response) => response.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const modelId = created[0].json.model.id;
    for (const conflict of conflicts) {
      expect(conflict.json).toMatchObject({
        success: false,
        error: { code: "already_exists" },
        model: { id: modelId, bookId: book, type: "author", entityName: "Maren Hale" },
      });
    }
    const rows = await adminSql()<{ id: string }[]>`
      select id from public.fine_tuned_models where created_by = ${alice.id} and book_id = ${book}`;
    expect(rows.map((row) => row.id)).toEqual([modelId]);
    expect(await countModels(alice.id)).toBe(before + 1);

    await backgroundSettled(modelId);
    expect(jobsFor(modelId)).toHaveLength(1);
    expect(sim.jobs.size).toBe(1);
  });

  it("a later identical request answers 409; the entity name is matched without regard to case", async () => {
    const book = bookId();
    const first = await call(createAuthor, "fine-tune-author", { token: alice.token, body: { ...author, bookId: book } });
    expect(first.status).toBe(202);
    await backgroundSettled(first.json.model.id);

    const again = await call(createAuthor, "fine-tune-author", {
      token: alice.token,
      body: { ...author, authorName: "MAREN HALE", bookId: book },
    });

    expect(again.status).toBe(409);
    expect(again.json.model.id).toBe(first.json.model.id);
    expect(again.json.model.status).not.toBe("failed");
    expect(sim.jobs.size).toBe(1);
  });

  it("another user, another book or a failed earlier model do not block a new one", async () => {
    const book = bookId();
    const first = await call(createAuthor, "fine-tune-author", { token: alice.token, body: { ...author, bookId: book } });
    await backgroundSettled(first.json.model.id);

    const otherUser = await call(createAuthor, "fine-tune-author", { token: bob.token, body: { ...author, bookId: book } });
    const otherBook = await call(createAuthor, "fine-tune-author", { token: alice.token, body: { ...author, bookId: bookId() } });
    expect(otherUser.status).toBe(202);
    expect(otherBook.status).toBe(202);
    await backgroundSettled(otherUser.json.model.id);
    await backgroundSettled(otherBook.json.model.id);

    await adminSql()`update public.fine_tuned_models set status = 'failed' where id = ${first.json.model.id}`;
    const retry = await call(createAuthor, "fine-tune-author", { token: alice.token, body: { ...author, bookId: book } });
    expect(retry.status).toBe(202);
    expect(retry.json.model.id).not.toBe(first.json.model.id);
    await backgroundSettled(retry.json.model.id);
  });
});

describe("refused requests write nothing", () => {
  const longText = (length: number) => "x".repeat(length);
  const validAuthor = () => ({ ...author, bookId: bookId() });
  const validCharacter = () => ({ ...character, bookId: bookId() });
  const validQuick = () => ({ ...quick, bookId: bookId() });

  const validationCases: [string, Handler, string, () => unknown, (string | number)[][]][] = [
    ["an empty author body", createAuthor, "fine-tune-author", () => ({}), [["authorName"], ["bookId"], ["bookInfo"]]],
    ["a blank author name", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), authorName: "   " }), [["authorName"]]],
    ["an author name over 200 characters", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), authorName: longText(201) }), [["authorName"]]],
    ["a book title over 300 characters", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), bookInfo: { title: longText(301) } }), [["bookInfo", "title"]]],
    ["a genre over 100 characters", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), bookInfo: { ...author.bookInfo, genre: longText(101) } }), [["bookInfo", "genre"]]],
    ["a book id over 200 characters", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), bookId: longText(201) }), [["bookId"]]],
    ["isPublic as a string", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), isPublic: "yes" }), [["isPublic"]]],
    ["bookInfo as a string", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), bookInfo: "Wrack Point" }), [["bookInfo"]]],
    ["a name as a number", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), authorName: 42 }), [["authorName"]]],
    ["an unknown field", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), status: "completed" }), [[]]],
    ["an unknown field in bookInfo", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), bookInfo: { ...author.bookInfo, isbn: "123" } }), [["bookInfo"]]],
    ["a base model that is not allowed", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), baseModel: "gpt-3.5-turbo-0125" }), [["baseModel"]]],
    ["a JSON array body", createAuthor, "fine-tune-author", () => [author], [[]]],
    ["a character without a description", createCharacter, "fine-tune-character", () => ({ ...validCharacter(), characterDescription: "" }), [["characterDescription"]]],
    ["a character description over 4000 characters", createCharacter, "fine-tune-character", () => ({ ...validCharacter(), characterDescription: longText(4001) }), [["characterDescription"]]],
    ["a character's book without an author", createCharacter, "fine-tune-character", () => ({ ...validCharacter(), bookInfo: { title: "Wrack Point" } }), [["bookInfo", "author"]]],
    ["a character without a name", createCharacter, "fine-tune-character", () => { const { characterName: _, ...rest } = validCharacter(); return rest; }, [["characterName"]]],
    ["an entity id over 200 characters", createCharacter, "fine-tune-character", () => ({ ...validCharacter(), entityId: longText(201) }), [["entityId"]]],
    ["an unknown quick type", createQuick, "fine-tune-quick", () => ({ ...validQuick(), type: "narrator" }), [["type"]]],
    ["a quick model without a type", createQuick, "fine-tune-quick", () => { const { type: _, ...rest } = validQuick(); return rest; }, [["type"]]],
    ["a quick model with an empty entity name", createQuick, "fine-tune-quick", () => ({ ...validQuick(), entityName: "" }), [["entityName"]]],
    ["a quick model without a book description", createQuick, "fine-tune-quick", () => ({ ...validQuick(), bookInfo: { title: "Wrack Point", author: "Maren Hale" } }), [["bookInfo", "description"]]],
  ];

  it.each(validationCases)("%s: 422 with the issue paths", async (_label, handler, name, body, paths) => {
    const before = await countModels(alice.id);

    const { status, json } = await call(handler, name, { token: alice.token, body: body() });

    expect(status).toBe(422);
    expect(json.success).toBe(false);
    expect(json.error.code).toBe("validation_failed");
    const issuePaths = (json.error.details as { path: (string | number)[] }[]).map((issue) => issue.path);
    expect(issuePaths.map((path) => JSON.stringify(path)).sort()).toEqual(paths.map((path) => JSON.stringify(path)).sort());
    expect(await countModels(alice.id)).toBe(before);
    expect(sim.chatRequests).toHaveLength(0);
  });

  it("names the unknown field in the issue", async () => {
    const { json } = await call(createAuthor, "fine-tune-author", {
      token: alice.token,
      body: { ...validAuthor(), created_by: bob.id },
    });
    expect(json.error.details).toEqual([{ path: [], message: expect.stringContaining("created_by") }]);
  });

  it("non-JSON: 400 invalid_json", async () => {
    const before = await countModels(alice.id);
    const { status, json } = await call(createAuthor, "fine-tune-author", { token: alice.token, body: '{"authorName": "Maren' });
    expect(status).toBe(400);
    expect(json.error.code).toBe("invalid_json");
    expect(await countModels(alice.id)).toBe(before);
  });

  it("a body that is not JSON by its content type: 415", async () => {
    const before = await countModels(alice.id);
    const { status, json } = await call(createAuthor, "fine-tune-author", {
      token: alice.token,
      body: "authorName=Maren",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(status).toBe(415);
    expect(json.error.code).toBe("unsupported_media_type");
    expect(await countModels(alice.id)).toBe(before);
  });

  it("a body over 32 KiB: 413", async () => {
    const before = await countModels(alice.id);
    const { status, json } = await call(createCharacter, "fine-tune-character", {
      token: alice.token,
      body: { ...validCharacter(), characterDescription: longText(40 * 1024) },
    });
    expect(status).toBe(413);
    expect(json.error.code).toBe("payload_too_large");
    expect(await countModels(alice.id)).toBe(before);
  });

  it.each([
    ["fine-tune-author", createAuthor],
    ["fine-tune-character", createCharacter],
    ["fine-tune-quick", createQuick],
  ] as const)("GET and DELETE on %s: 405 with Allow", async (name, handler) => {
    for (const method of ["GET", "DELETE"]) {
      const { status, headers, json } = await call(handler, name, { token: alice.token, method });
      expect(status).toBe(405);
      expect(headers.get("allow")).toBe("POST, OPTIONS");
      expect(json.error.code).toBe("method_not_allowed");
    }
  });

  it("no token: 401; a token that is not a signed-in user's: 403", async () => {
    const before = await countModels(alice.id);
    const missing = await call(createAuthor, "fine-tune-author", { body: validAuthor() });
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe("unauthorized");

    const anon = await signLocalToken({ sub: alice.id, role: "anon" });
    const anonymous = await call(createAuthor, "fine-tune-author", { token: anon, body: validAuthor() });
    expect(anonymous.status).toBe(403);
    expect(await countModels(alice.id)).toBe(before);
  });

  it("answers CORS preflight without touching anything", async () => {
    const response = await createQuick(new Request("http://127.0.0.1:54321/functions/v1/fine-tune-quick", {
      method: "OPTIONS",
      headers: { Origin: "https://reader.example", "Access-Control-Request-Method": "POST" },
    }));
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
  });
});
