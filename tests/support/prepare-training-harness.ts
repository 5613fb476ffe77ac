import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { DEFAULT_FINE_TUNE_BASE_MODEL } from "../../shared/env.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { OpenAITrainingProvider } from "../../shared/providers/openai/training.ts";
import { createOpenAISimulator, failOnUnhandledRequest } from "../../supabase/local/openai-simulator/simulator.ts";
import { currentRun } from "./models.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "./stack.ts";
import { useSuiteDatabase } from "./suite-database.ts";
import { forgetTrainingRefusals } from "./training-access.ts";

// prepareTraining in-process against the stack's real database, with each test file's own OpenAI
// simulator (msw), so faults and refusals there touch no other suite. Jobs take a minute: they stay pending.

const AUTHOR_BOOK = {
  title: "The Lighthouse at Wrack Point",
  author: "Maren Hale",
  description: "A keeper's daughter pieces together why her father let the light go dark on the night of the wreck.",
  genre: "Literary mystery",
};

/** Columns a test may set on the pending row it arranges. */
export interface ModelFields {
  type?: "author" | "character";
  entity_name?: string;
  description?: string | null;
  book_info?: Record<string, string>;
  quick_tune?: boolean;
  base_model?: string | null;
  status?: string;
  style_description?: string | null;
  /** Arranged on the model's training run. */
  provider_file_id?: string | null;
  lease_expires_at?: string | null;
  attempts?: number;
}

/** A model row as stored, its current training run, and the database's clock beside them. */
export interface StoredModel {
  id: string;
  type: "author" | "character";
  entity_name: string;
  description: string | null;
  book_info: Record<string, unknown>;
  status: string;
  openai_job_id: string | null;
  training_file_id: string | null;
  training_data_summary: string | null;
  training_tokens: number | null;
  estimated_cost_usd: string | null;
  style_description: string | null;
  sample_text: string | null;
  starter_prompts: string[];
  greeting: string | null;
  error: string | null;
  run: NonNullable<Awaited<ReturnType<typeof currentRun>>>;
  db_now: Date;
}

export async function readModel(id: string): Promise<StoredModel | undefined> {
  const [row] = await adminSql()<Omit<StoredModel, "run">[]>`
    select m.*, now() as db_now from private.fine_tuned_models m where m.id = ${id}`;
  if (!row) return undefined;
  return { ...row, run: (await currentRun(id))! };
}

/** The model's stored training examples, in order. */
export async function storedExamples(modelId: string) {
  return await adminSql()<{ source: string; topic: string | null; position: number; messages: { role: string; content: string }[] }[]>`
    select source, topic, position, messages from public.training_examples
    where model_id = ${modelId} order by position`;
}

export async function readExistingModel(id: string): Promise<StoredModel> {
  const row = await readModel(id);
  if (!row) throw new Error(`model ${id} is gone`);
  return row;
}

/** A valid training file and a job already at the provider for `modelId`, as a crashed worker leaves them. */
export async function startJobAtProvider(modelId: string) {
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
  // A model the test made has a run; a file made for no model gets a run id of its own.
  const runId = (await currentRun(modelId))?.id ?? crypto.randomUUID();
  const job = await provider.createJob({
    modelId,
    runId,
    trainingFileId: fileId,
    baseModel: DEFAULT_FINE_TUNE_BASE_MODEL,
    epochs: 3,
  });
  return { fileId, jobId: job.id };
}

/**
 * Gives the calling test file its own OpenAI simulator behind its own msw server and its own owner,
 * and registers the hooks that start, reset and close them around its tests.
 */
export function usePrepareTrainingHarness() {
  const sim = createOpenAISimulator({ jobDurationMs: 60_000 });
  const server = setupServer(...sim.handlers);
  let owner: TestUser;

  useSuiteDatabase();
  beforeAll(async () => {
    server.listen({ onUnhandledRequest: failOnUnhandledRequest });
    useStackEnvironment();
    owner = await createUser("prepare-training");
  });
  beforeEach(async () => {
    sim.reset();
    // Settings a test overrides are cleared here, so no test sees another's.
    useStackEnvironment({ FINE_TUNING_ENABLED: undefined, OPENAI_TIMEOUT_MS: undefined });
    resetOpenAI();
    await forgetTrainingRefusals();
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  /**
   * A `pending` row as the create endpoint leaves it, due only in an hour, so the stack's own
   * training sync (which runs every minute on the shared database) leaves it to this test.
   */
  async function insertPendingModel(fields: ModelFields = {}): Promise<string> {
    const type = fields.type ?? "author";
    const entityName = fields.entity_name ?? (type === "author" ? "Maren Hale" : "Isla Corran");
    const [row] = await adminSql()<{ id: string }[]>`
      insert into private.fine_tuned_models
        (name, type, entity_name, book_id, book_info, description, quick_tune, base_model, status,
         style_description, created_by)
      values (${entityName}, ${type}, ${entityName}, ${`book-${crypto.randomUUID()}`},
              ${adminSql().json(fields.book_info ?? AUTHOR_BOOK)}, ${fields.description ?? null},
              ${fields.quick_tune ?? false}, ${fields.base_model === undefined ? DEFAULT_FINE_TUNE_BASE_MODEL : fields.base_model},
              ${fields.status ?? "pending"}, ${fields.style_description ?? null}, ${owner.id})
      returning id`;
    await adminSql()`
      update public.training_runs
      set provider_file_id = ${fields.provider_file_id ?? null}, lease_expires_at = ${fields.lease_expires_at ?? null},
          attempts = ${fields.attempts ?? 0}, next_check_at = now() + interval '1 hour'
      where model_id = ${row.id}`;
    return row.id;
  }

  /** The uploaded training file's conversations. */
  function uploadedConversations(fileId: string) {
    const file = sim.files.get(fileId);
    if (!file) throw new Error(`no uploaded file ${fileId}`);
    return file.content.trimEnd().split("\n").map((line) =>
      JSON.parse(line) as { messages: { role: string; content: string }[] }
    );
  }

  return { sim, server, insertPendingModel, uploadedConversations };
}
