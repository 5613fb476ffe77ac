import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeDatabase } from "../../shared/db/client.ts";
import { DEFAULT_FINE_TUNE_BASE_MODEL } from "../../shared/env.ts";
import { personaFromRow } from "../../shared/lifecycle/persona-from-row.ts";
import { prepareTraining } from "../../shared/lifecycle/prepare-training.ts";
import { buildFallbackStarterPrompts } from "../../shared/persona/starter-prompts.ts";
import { buildFallbackStyleGuide } from "../../shared/persona/style-guide.ts";
import { resetOpenAI } from "../../shared/providers/openai-client.ts";
import { OpenAITrainingProvider } from "../../shared/providers/openai-training.ts";
import { AUTHOR_TOPICS, CHARACTER_TOPICS } from "../../shared/training/topics.ts";
import { createOpenAISimulator, failOnUnhandledRequest } from "../mocks/openai/simulator.ts";
import { adminSql, closeAdminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";

// prepareTraining in-process against the stack's real database, with its own OpenAI simulator
// (msw), so faults and refusals here touch no other suite. Jobs take a minute: they stay pending.
const sim = createOpenAISimulator({ jobDurationMs: 60_000 });
const server = setupServer(...sim.handlers);

let owner: TestUser;

const AUTHOR_BOOK = {
  title: "The Lighthouse at Wrack Point",
  author: "Maren Hale",
  description: "A keeper's daughter pieces together why her father let the light go dark on the night of the wreck.",
  genre: "Literary mystery",
};

interface ModelFields {
  type?: "author" | "character";
  entity_name?: string;
  description?: string | null;
  book_info?: Record<string, string>;
  quick_tune?: boolean;
  base_model?: string | null;
  status?: string;
  style_description?: string | null;
  training_file_id?: string | null;
  lease_expires_at?: string | null;
  check_attempts?: number;
}

/**
 * A `pending` row as the create endpoint leaves it, due only in an hour, so the stack's own
 * training sync (which runs every minute on the shared database) leaves it to this test.
 */
async function insertPendingModel(fields: ModelFields = {}): Promise<string> {
  const type = fields.type ?? "author";
  const entityName = fields.entity_name ?? (type === "author" ? "Maren Hale" : "Isla Corran");
  const [row] = await adminSql()<{ id: string }[]>`
    insert into public.fine_tuned_models
      (name, type, entity_name, book_id, book_info, description, quick_tune, base_model, status,
       style_description, training_file_id, lease_expires_at, check_attempts, created_by, next_check_at)
    values (${entityName}, ${type}, ${entityName}, ${`book-${crypto.randomUUID()}`},
            ${adminSql().json(fields.book_info ?? AUTHOR_BOOK)}, ${fields.description ?? null},
            ${fields.quick_tune ?? false}, ${fields.base_model === undefined ? DEFAULT_FINE_TUNE_BASE_MODEL : fields.base_model},
            ${fields.status ?? "pending"}, ${fields.style_description ?? null}, ${fields.training_file_id ?? null},
            ${fields.lease_expires_at ?? null}, ${fields.check_attempts ?? 0}, ${owner.id},
            now() + interval '1 hour')
    returning id`;
  return row.id;
}

interface StoredModel {
  id: string;
  type: "author" | "character";
  entity_name: string;
  description: string | null;
  book_info: Record<string, unknown>;
  status: string;
  openai_job_id: string | null;
  training_file_id: string | null;
  training_data_summary: Record<string, unknown> | null;
  training_tokens: number | null;
  estimated_cost_usd: string | null;
  style_description: string | null;
  starter_prompts: string[];
  error: string | null;
  lease_expires_at: Date | null;
  check_attempts: number;
  next_check_at: Date;
  db_now: Date;
}

async function readModel(id: string): Promise<StoredModel | undefined> {
  const [row] = await adminSql()<StoredModel[]>`
    select m.*, now() as db_now from public.fine_tuned_models m where m.id = ${id}`;
  return row;
}

async function readExistingModel(id: string): Promise<StoredModel> {
  const row = await readModel(id);
  if (!row) throw new Error(`model ${id} is gone`);
  return row;
}

/** The uploaded training file's conversations. */
function uploadedConversations(fileId: string) {
  const file = sim.files.get(fileId);
  if (!file) throw new Error(`no uploaded file ${fileId}`);
  return file.content.trimEnd().split("\n").map((line) =>
    JSON.parse(line) as { messages: { role: string; content: string }[] }
  );
}

/** A valid training file and a job already at the provider for `modelId`, as a crashed worker leaves them. */
async function startJobAtProvider(modelId: string) {
  const provider = new OpenAITrainingProvider();
  const jsonl = Array.from({ length: 12 }, (_, index) =>
    JSON.stringify({
      messages: [
        { role: "system", content: "You are Maren Hale, the author of The Lighthouse at Wrack Point." },
        { role: "user", content: `Question ${index}: why did the light go dark?` },
        { role: "assistant", content: `Answer ${index}: because the keeper chose his daughter over the ship.` },
      ],
    })).join("\n") + "\n";
  const { fileId } = await provider.uploadTrainingFile(jsonl, `storyvoice-${modelId}.jsonl`);
  const job = await provider.createJob({ modelId, trainingFileId: fileId, baseModel: DEFAULT_FINE_TUNE_BASE_MODEL, epochs: 3 });
  return { fileId, jobId: job.id };
}

beforeAll(async () => {
  server.listen({ onUnhandledRequest: failOnUnhandledRequest });
  useStackEnvironment();
  owner = await createUser("prepare-training");
});
beforeEach(() => {
  sim.reset();
  // Settings a test overrides are cleared here, so no test sees another's.
  useStackEnvironment({ FINE_TUNING_ENABLED: undefined, OPENAI_TIMEOUT_MS: undefined });
  resetOpenAI();
});
afterEach(() => server.resetHandlers());
afterAll(async () => {
  server.close();
  // The rows carry this simulator's job ids: keep the stack's sync from chasing them afterwards.
  await adminSql()`delete from public.fine_tuned_models where created_by = ${owner.id}`;
  await closeDatabase();
  await closeAdminSql();
});

describe("prepareTraining: a full author model", () => {
  it("writes the style guide and starter prompts, uploads 20-30 examples and starts one job tagged with the model id", async () => {
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("job-started");

    const row = await readExistingModel(id);
    expect(sim.jobs.size).toBe(1);
    const [job] = sim.jobs.values();
    expect(row.openai_job_id).toBe(job.id);
    expect(job.metadata).toEqual({ storyvoice_model_id: id });
    expect(job.model).toBe(DEFAULT_FINE_TUNE_BASE_MODEL);
    expect(job.hyperparameters.n_epochs).toBe(3);
    expect(row.status).toBe("pending"); // the job is still validating its file
    expect(row.lease_expires_at).toBeNull();
    expect(row.error).toBeNull();

    expect(row.style_description).toMatch(/^You are Maren Hale, the author of "The Lighthouse at Wrack Point"/);
    expect(row.starter_prompts.length).toBeGreaterThanOrEqual(3);
    expect(row.starter_prompts.length).toBeLessThanOrEqual(5);
    for (const prompt of row.starter_prompts) expect(prompt.trim().length).toBeGreaterThanOrEqual(8);

    expect(row.training_file_id).toBe(job.training_file);
    const conversations = uploadedConversations(row.training_file_id!);
    expect(conversations.length).toBeGreaterThanOrEqual(20);
    expect(conversations.length).toBeLessThanOrEqual(30);
    for (const { messages } of conversations) {
      expect(messages.map((message) => message.role)).toEqual(["system", "user", "assistant"]);
      expect(messages[0].content).toBe(row.style_description);
      expect(messages[2].content.length).toBeGreaterThan(0);
    }
    const questions = conversations.map(({ messages }) => messages[1].content.toLowerCase());
    expect(new Set(questions).size).toBe(questions.length);

    expect(row.training_data_summary).toMatchObject({
      examples: conversations.length,
      epochs: 3,
      quick: false,
      baseModel: DEFAULT_FINE_TUNE_BASE_MODEL,
    });
    expect([...(row.training_data_summary!.topics as string[])].sort()).toEqual(AUTHOR_TOPICS.map((topic) => topic.id).sort());
    expect(row.training_tokens).toBeGreaterThan(0);
    expect(Number(row.estimated_cost_usd)).toBeGreaterThan(0);
  });
});

describe("prepareTraining: a quick character model", () => {
  it("uploads 10-12 examples and asks for fewer epochs than a full model", async () => {
    const id = await insertPendingModel({
      type: "character",
      entity_name: "Isla Corran",
      description: "The keeper's daughter, seventeen, who rows out alone the morning after the wreck.",
      quick_tune: true,
    });

    expect(await prepareTraining(id)).toBe("job-started");

    const row = await readExistingModel(id);
    const [job] = sim.jobs.values();
    expect(sim.jobs.size).toBe(1);
    expect(row.openai_job_id).toBe(job.id);
    expect(job.metadata).toEqual({ storyvoice_model_id: id });
    expect(job.hyperparameters.n_epochs).toBe(2);
    const conversations = uploadedConversations(row.training_file_id!);
    expect(conversations.length).toBeGreaterThanOrEqual(10);
    expect(conversations.length).toBeLessThanOrEqual(12);
    expect(row.training_data_summary).toMatchObject({ examples: conversations.length, epochs: 2, quick: true });
    expect([...(row.training_data_summary!.topics as string[])].sort()).toEqual(
      CHARACTER_TOPICS.map((topic) => topic.id).sort(),
    );
    expect(row.style_description).toMatch(/^You are Isla Corran, from "The Lighthouse at Wrack Point" by Maren Hale/);
  });
});

describe("prepareTraining: never a second job", () => {
  it("does nothing when run again after the job started", async () => {
    const id = await insertPendingModel();
    expect(await prepareTraining(id)).toBe("job-started");
    const first = await readExistingModel(id);

    expect(await prepareTraining(id)).toBe("not-claimed");

    expect(sim.jobs.size).toBe(1);
    expect(sim.files.size).toBe(1);
    expect((await readExistingModel(id)).openai_job_id).toBe(first.openai_job_id);
  });

  it("lets only one of two simultaneous runs work", async () => {
    const id = await insertPendingModel();

    const outcomes = await Promise.all([prepareTraining(id), prepareTraining(id)]);

    expect(outcomes.sort()).toEqual(["job-started", "not-claimed"]);
    expect(sim.jobs.size).toBe(1);
    expect((await readExistingModel(id)).openai_job_id).toBe([...sim.jobs.keys()][0]);
  });

  it("leaves a model alone while another worker's lease is live", async () => {
    const id = await insertPendingModel({ lease_expires_at: new Date(Date.now() + 60_000).toISOString() });

    expect(await prepareTraining(id)).toBe("not-claimed");

    expect(sim.chatRequests).toHaveLength(0);
    expect(sim.jobs.size).toBe(0);
    expect((await readExistingModel(id)).openai_job_id).toBeNull();
  });

  it("adopts the job a crashed worker started (file stored, job id not) instead of starting another", async () => {
    const id = await insertPendingModel({
      style_description: "You are Maren Hale. Stay in character.",
      lease_expires_at: new Date(Date.now() - 60_000).toISOString(), // the crashed worker's lease ran out
    });
    const { fileId, jobId } = await startJobAtProvider(id);
    await adminSql()`update public.fine_tuned_models set training_file_id = ${fileId} where id = ${id}`;

    expect(await prepareTraining(id)).toBe("job-started");

    expect(sim.jobs.size).toBe(1);
    expect(sim.files.size).toBe(1);
    const row = await readExistingModel(id);
    expect(row.openai_job_id).toBe(jobId);
    expect(row.lease_expires_at).toBeNull();
  });

  it("starts the job from the stored file without generating or uploading again", async () => {
    const id = await insertPendingModel({ style_description: "You are Maren Hale. Stay in character." });
    const provider = new OpenAITrainingProvider();
    const { jobId, fileId } = await startJobAtProvider(crypto.randomUUID()); // a file that exists at the provider
    await provider.cancelJob(jobId);
    await adminSql()`update public.fine_tuned_models set training_file_id = ${fileId} where id = ${id}`;
    const jobsBefore = sim.jobs.size;

    expect(await prepareTraining(id)).toBe("job-started");

    expect(sim.chatRequests).toHaveLength(0); // no teacher call: the examples were already uploaded
    expect(sim.files.size).toBe(1);
    expect(sim.jobs.size).toBe(jobsBefore + 1);
    const row = await readExistingModel(id);
    const job = sim.jobs.get(row.openai_job_id!);
    expect(job?.training_file).toBe(fileId);
    expect(job?.metadata).toEqual({ storyvoice_model_id: id });
  });
});

describe("prepareTraining: fine-tuning not available", () => {
  it.each([403, 400, 404] as const)("a %i refusal from the provider makes the model ready in persona mode", async (status) => {
    sim.refuseFineTuning({ status });
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("persona-mode");

    const row = await readExistingModel(id);
    expect(row.status).toBe("ready");
    expect(row.error).toMatch(/^Fine-tuning unavailable: starting the fine-tuning job failed \(\d{3}/);
    expect(row.error).toContain(`(${status}`);
    expect(row.error).toContain("self-serve fine-tuning is closed");
    expect(row.openai_job_id).toBeNull();
    expect(row.lease_expires_at).toBeNull();
    expect(row.style_description).toMatch(/^You are Maren Hale/); // the persona the fallback chat uses
    expect(sim.jobs.size).toBe(0);
  });

  it("without an API key uses the deterministic style guide and starter prompts and calls no provider", async () => {
    useStackEnvironment({ OPENAI_API_KEY: undefined });
    resetOpenAI();
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("persona-mode");

    const row = await readExistingModel(id);
    const persona = personaFromRow(row);
    expect(row.status).toBe("ready");
    expect(row.style_description).toBe(buildFallbackStyleGuide(persona));
    expect(row.starter_prompts).toEqual(buildFallbackStarterPrompts(persona));
    expect(row.error).toMatch(/not available/);
    expect(sim.chatRequests).toHaveLength(0);
    expect(sim.files.size).toBe(0);
    expect(sim.jobs.size).toBe(0);
  });

  it("with FINE_TUNING_ENABLED=false writes the teacher's style guide and stops there", async () => {
    useStackEnvironment({ FINE_TUNING_ENABLED: "false" });
    resetOpenAI();
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("persona-mode");

    const row = await readExistingModel(id);
    expect(row.status).toBe("ready");
    expect(row.style_description).toMatch(/^You are Maren Hale/);
    expect(row.starter_prompts.length).toBeGreaterThanOrEqual(3);
    expect(row.error).toMatch(/persona mode/);
    expect(sim.chatRequests.length).toBeGreaterThan(0); // the teacher wrote the style guide
    expect(sim.files.size).toBe(0);
    expect(sim.jobs.size).toBe(0);
  });
});

describe("prepareTraining: transient provider failures", () => {
  it.each([429, 500])("a %i on job creation gives the work back for a later retry, which then starts the job", async (status) => {
    sim.inject({ method: "POST", path: "/v1/fine_tuning/jobs", kind: "status", status });
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("retry-later");

    const released = await readExistingModel(id);
    expect(released.status).toBe("pending");
    expect(released.lease_expires_at).toBeNull();
    expect(released.check_attempts).toBe(1);
    expect(released.next_check_at.getTime()).toBeGreaterThan(released.db_now.getTime());
    expect(released.error).toContain(`(${status}`);
    expect(released.openai_job_id).toBeNull();
    expect(released.training_file_id).not.toBeNull(); // kept, so the retry uploads nothing
    expect(sim.jobs.size).toBe(0);

    // What the training sync does once the row is due again.
    expect(await prepareTraining(id)).toBe("job-started");
    const started = await readExistingModel(id);
    expect(started.openai_job_id).toBe([...sim.jobs.keys()][0]);
    expect(started.check_attempts).toBe(0);
    expect(started.error).toBeNull();
    expect(sim.files.size).toBe(1);
  });

  it("a rate-limited teacher gives the work back before anything is stored", async () => {
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 429 });
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("retry-later");

    const released = await readExistingModel(id);
    expect(released.status).toBe("pending");
    expect(released.lease_expires_at).toBeNull();
    expect(released.check_attempts).toBe(1);
    expect(released.next_check_at.getTime()).toBeGreaterThan(released.db_now.getTime());
    expect(released.error).toContain("(429");
    expect(released.style_description).toBeNull();
    expect(sim.files.size).toBe(0);

    expect(await prepareTraining(id)).toBe("job-started");
    expect((await readExistingModel(id)).style_description).toMatch(/^You are Maren Hale/);
  });

  it("an upload that hangs past the timeout gives the work back instead of holding the model", async () => {
    useStackEnvironment({ OPENAI_TIMEOUT_MS: "300" });
    resetOpenAI();
    sim.inject({ method: "POST", path: "/v1/files", kind: "timeout", delayMs: 5_000 });
    const id = await insertPendingModel({ style_description: "You are Maren Hale. Stay in character." });

    expect(await prepareTraining(id)).toBe("retry-later");

    const released = await readExistingModel(id);
    expect(released.status).toBe("pending");
    expect(released.lease_expires_at).toBeNull();
    expect(released.check_attempts).toBe(1);
    expect(released.error).toBe("uploading the training file timed out");
    expect(released.training_file_id).toBeNull();
    expect(sim.files.size).toBe(0);
  });

  it("fails the model for good once the attempts are used up", async () => {
    sim.inject({ method: "POST", path: "/v1/fine_tuning/jobs", kind: "status", status: 503 });
    const id = await insertPendingModel({ check_attempts: 4 });

    expect(await prepareTraining(id)).toBe("failed");

    const row = await readExistingModel(id);
    expect(row.status).toBe("failed");
    expect(row.check_attempts).toBe(5);
    expect(row.lease_expires_at).toBeNull();
    expect(row.error).toContain("(503");
  });
});

describe("prepareTraining: failures that are not worth retrying", () => {
  it("fails with a clear error when the teacher keeps answering malformed JSON", async () => {
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "malformed", times: 1000 });
    const id = await insertPendingModel();

    expect(await prepareTraining(id)).toBe("failed");

    const row = await readExistingModel(id);
    expect(row.status).toBe("failed");
    expect(row.error).toBe(
      "The teacher model gave no usable training examples in 3 attempts (last problem: the response body was not valid JSON).",
    );
    expect(row.lease_expires_at).toBeNull();
    // The style guide still fell back to the built-in one, so chat works in persona mode meanwhile.
    expect(row.style_description).toBe(buildFallbackStyleGuide(personaFromRow(row)));
    expect(sim.files.size).toBe(0);
    expect(sim.jobs.size).toBe(0);
  });

  it("fails a row whose base model is not in the allow-list, before spending anything on training", async () => {
    const id = await insertPendingModel({ base_model: "gpt-3.5-turbo-0125" });

    expect(await prepareTraining(id)).toBe("failed");

    const row = await readExistingModel(id);
    expect(row.status).toBe("failed");
    expect(row.error).toBe("Base model gpt-3.5-turbo-0125 is not allowed in this deployment.");
    expect(row.lease_expires_at).toBeNull();
    expect(sim.files.size).toBe(0);
    expect(sim.jobs.size).toBe(0);
  });

  it("ignores a model that is no longer pending", async () => {
    const id = await insertPendingModel({ status: "ready", style_description: "You are Maren Hale." });

    expect(await prepareTraining(id)).toBe("not-claimed");

    expect((await readExistingModel(id)).status).toBe("ready");
    expect(sim.chatRequests).toHaveLength(0);
  });
});

describe("prepareTraining: the model is deleted meanwhile", () => {
  it("cancels the job it started for a model that no longer exists", async () => {
    const id = await insertPendingModel();
    // The owner deletes the model while the job is being created.
    server.use(http.post("*/v1/fine_tuning/jobs", async () => {
      await adminSql()`delete from public.fine_tuned_models where id = ${id}`;
      return undefined; // on to the simulator, which creates the job
    }));

    expect(await prepareTraining(id)).toBe("failed");

    expect(await readModel(id)).toBeUndefined();
    expect(sim.jobs.size).toBe(1);
    const [job] = sim.jobs.values();
    expect(job.metadata).toEqual({ storyvoice_model_id: id });
    expect(job.status).toBe("cancelled");
  });
});
