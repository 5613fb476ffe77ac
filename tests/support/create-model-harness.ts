import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { createOpenAISimulator, failOnUnhandledRequest } from "../../supabase/local/openai-simulator/simulator.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "./stack.ts";
import { useSuiteDatabase } from "./suite-database.ts";
import { forgetTrainingRefusals } from "./training-access.ts";
import { waitFor } from "./wait.ts";

// The three create endpoints in-process (their handlers called with a Request) on the suite's own
// real database, with their background training work answered by each test file's own OpenAI simulator.

export type Handler = (request: Request) => Promise<Response>;

export const author = {
  authorName: "Maren Hale",
  bookInfo: {
    title: "The Lighthouse at Wrack Point",
    description: "A keeper's daughter pieces together why her father let the light go dark on the night of the wreck.",
    genre: "Literary mystery",
  },
};
export const character = {
  characterName: "Isla Corran",
  characterDescription: "The keeper's daughter, seventeen, who rows out alone the morning after the wreck.",
  bookInfo: { title: "The Lighthouse at Wrack Point", author: "Maren Hale", genre: "Literary mystery" },
};
export const quick = {
  type: "character",
  entityName: "Tomas Corran",
  description: "The lighthouse keeper, a widower who has kept the light for thirty years.",
  bookInfo: {
    title: "The Lighthouse at Wrack Point",
    author: "Maren Hale",
    description: "A keeper's daughter pieces together why her father let the light go dark.",
  },
};

/** Calls a create handler as a client would (POST with a JSON body unless told otherwise). */
export function post(handler: Handler, name: string, options: {
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

/** {@link post}, with the answer's JSON read. */
export async function call(handler: Handler, name: string, options: Parameters<typeof post>[2]) {
  const response = await post(handler, name, options);
  return { status: response.status, headers: response.headers, json: await response.json() as any };
}

export async function countModels(ownerId: string): Promise<number> {
  const [{ count }] = await adminSql()<{ count: number }[]>`
    select count(*)::int as count from private.fine_tuned_models where created_by = ${ownerId}`;
  return count;
}

/**
 * Waits until the background preparation of the model has finished (a job recorded, or a final
 * status), so no test's background work runs into the next test's simulator state.
 */
export async function backgroundSettled(modelId: string) {
  return await waitFor(async () => {
    const [row] = await adminSql()<{ status: string; openai_job_id: string | null; lease_expires_at: Date | null }[]>`
      select m.status, m.openai_job_id, r.lease_expires_at
      from private.fine_tuned_models m
      join public.training_runs r on r.model_id = m.id
      where m.id = ${modelId}
      order by r.created_at desc limit 1`;
    const done = row && row.lease_expires_at === null && (row.openai_job_id !== null || row.status !== "pending");
    return done ? row : undefined;
  }, { timeoutMs: 15_000, intervalMs: 50, description: `the background preparation of ${modelId}` });
}

export const bookId = () => `book-${crypto.randomUUID()}`;

/**
 * Gives the calling test file its own OpenAI simulator behind its own msw server, and registers the
 * hooks that start, reset and close them around its tests, on the suite's own database.
 */
export function useCreateModelHarness() {
  const sim = createOpenAISimulator({ jobDurationMs: 60_000 });
  const server = setupServer(...sim.handlers);

  useSuiteDatabase();
  beforeAll(() => server.listen({ onUnhandledRequest: failOnUnhandledRequest }));
  beforeEach(async () => {
    sim.reset();
    useStackEnvironment({ FINE_TUNING_ENABLED: undefined });
    resetOpenAI();
    await forgetTrainingRefusals();
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const createOwner = (label: string): Promise<TestUser> => createUser(label);

  const jobsFor = (modelId: string) =>
    [...sim.jobs.values()].filter((job) => job.metadata?.storyvoice_model_id === modelId);

  return { sim, server, createOwner, jobsFor };
}
