import { setupServer } from "msw/node";
import OpenAI, { toFile } from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { createOpenAISimulator, failOnUnhandledRequest } from "../../supabase/local/openai-simulator/simulator.ts";

// The OpenAI simulator driven through the official SDK, on a clock the tests move by hand.

export const START_MS = Date.UTC(2026, 5, 1, 12, 0, 0);
export const JOB_DURATION_MS = 100_000;

/**
 * The SDK client the tests call, set by {@link useSimulatorHarness} before the first test.
 * The SDK keeps the `fetch` it finds at construction, so it is built after msw has patched it.
 */
export let client: OpenAI;

/** A fine-tuning file of `examples` persona conversations, one JSON object a line. */
export function trainingJsonl(examples: number): string {
  return Array.from({ length: examples }, (_, index) =>
    JSON.stringify({
      messages: [
        { role: "system", content: "You are Jane Austen, the author of Pride and Prejudice." },
        { role: "user", content: `Question ${index}: where did Elizabeth come from?` },
        { role: "assistant", content: `Answer ${index}: from a great many evenings of watching people.` },
      ],
    })).join("\n") + "\n";
}

export async function uploadTrainingFile(examples = 12) {
  return await client.files.create({
    file: await toFile(Buffer.from(trainingJsonl(examples)), "training.jsonl"),
    purpose: "fine-tune",
  });
}

/** Uploads a valid file and starts a job on it (supervised, three epochs, tagged `m-1` unless overridden). */
export async function createJob(overrides: Partial<OpenAI.FineTuning.JobCreateParams> = {}) {
  const file = await uploadTrainingFile();
  return await client.fineTuning.jobs.create({
    model: "gpt-4o-mini-2024-07-18",
    training_file: file.id,
    suffix: "author-jane",
    metadata: { storyvoice_model_id: "m-1" },
    method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 3 } } },
    ...overrides,
  });
}

/**
 * Gives the calling test file its own simulator (on a clock starting at START_MS for every test)
 * behind its own msw server, and registers the hooks that start, reset and close them.
 */
export function useSimulatorHarness() {
  let nowMs = START_MS;
  const advance = (milliseconds: number) => (nowMs += milliseconds);

  // The simulator's own suites judge shutdown dates on the clock they move, not the pinned day.
  const sim = createOpenAISimulator({ jobDurationMs: JOB_DURATION_MS, now: () => nowMs, today: () => nowMs });
  const server = setupServer(...sim.handlers);

  beforeAll(() => {
    server.listen({ onUnhandledRequest: failOnUnhandledRequest });
    client = new OpenAI({ apiKey: "test", baseURL: "https://api.openai.com/v1", maxRetries: 0 });
  });
  beforeEach(() => {
    sim.reset();
    nowMs = START_MS;
  });
  afterEach(() => {
    server.resetHandlers();
    vi.restoreAllMocks();
  });
  afterAll(() => server.close());

  /** A job run to its end on the simulator's clock, as the provider reports it then. */
  async function finishedJob() {
    const job = await createJob();
    advance(JOB_DURATION_MS);
    return await client.fineTuning.jobs.retrieve(job.id);
  }

  return { sim, server, advance, finishedJob };
}
