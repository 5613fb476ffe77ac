import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { resetEnv } from "../../shared/env.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";

/** A chat.completions request as the teacher sends it (structured output). */
export type TeacherChatBody = {
  model: string;
  messages: { role: string; content: string }[];
  response_format: { type: string; json_schema: { name: string; strict: boolean; schema: any } };
};

/**
 * The simulator behind msw for suites that call the teacher model in-process: a configured key,
 * no SDK retries, a recognisable teacher model, and a fresh client and simulator for every test.
 */
export function useTeacherSimulator() {
  const sim = createOpenAISimulator();
  const server = setupServer(...sim.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  beforeEach(() => {
    process.env.OPENAI_API_KEY = "test-key";
    process.env.OPENAI_BASE_URL = "https://api.openai.com/v1";
    process.env.OPENAI_MAX_RETRIES = "0";
    process.env.SUPABASE_DB_URL = "postgresql://unused@127.0.0.1:1/x";
    process.env.TEACHER_MODEL = "gpt-teacher-test";
    resetEnv();
    resetOpenAI();
  });
  afterEach(() => {
    server.resetHandlers();
    sim.reset();
  });
  afterAll(() => server.close());
  return { sim, server };
}
