import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import type { Exchange } from "../../shared/chat/prompt.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { createOpenAISimulator } from "../../supabase/local/openai-simulator/simulator.ts";
import { insertModel } from "./models.ts";
import { adminSql, type TestUser, useStackEnvironment } from "./stack.ts";
import { useSuiteDatabase } from "./suite-database.ts";

// POST /fine-tune-chat in-process: the real handler on the suite's own database (RLS, triggers), with
// the provider answered by each test file's own OpenAI simulator through msw.

/** The persona fallback's base model; not the default, so the test sees the setting is honoured. */
export const FALLBACK_MODEL = "gpt-4o-mini-2024-07-18";
export const STYLE_GUIDE = "You are Ada Byron, the author of Engines. Speak in long, precise sentences.";
export const CHAT_URL = "https://api.openai.com/v1/chat/completions";
/** Keeps pending/training arrangements away from the stack's scheduled training sync. */
export const NEVER_DUE = "2100-01-01T00:00:00Z";

/** Points the in-process code at the stack with the chat settings every test starts from, plus `overrides`. */
export function configure(overrides: Record<string, string | undefined> = {}) {
  useStackEnvironment({
    CHAT_MODEL: FALLBACK_MODEL,
    OPENAI_TIMEOUT_MS: "5000",
    DAILY_CHAT_QUOTA: undefined,
    CHAT_HISTORY_TOKEN_BUDGET: undefined,
    ...overrides,
  });
  resetOpenAI();
}

/**
 * Gives the calling test file its own OpenAI simulator behind its own msw server, and registers the
 * hooks that start, reset and close them (and the database connections) around its tests.
 */
export function useChatHarness() {
  const sim = createOpenAISimulator();
  const server = setupServer(...sim.handlers);

  useSuiteDatabase();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  beforeEach(() => {
    sim.reset();
    configure();
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  /** A model in `completed` state whose fine-tune the simulator knows. */
  async function completedModel(ownerId: string, fields: Parameters<typeof insertModel>[1] = {}) {
    const fineTune = `ft:gpt-4.1-mini-2025-04-14:storyvoice:sv-${crypto.randomUUID().slice(0, 8)}:AbCd1234`;
    sim.fineTunedModels.add(fineTune);
    const id = await insertModel(ownerId, {
      status: "completed",
      openai_model_id: fineTune,
      style_description: STYLE_GUIDE,
      entity_name: "Ada Byron",
      ...fields,
    });
    return { id, fineTune };
  }

  /** The models the provider was asked, in order. */
  const requestedModels = () => sim.chatRequests.map((request) => request.model);

  return { sim, server, completedModel, requestedModels };
}

/** A chat request as a client sends it; `user` null sends no token, a string `body` is sent as is. */
export function chatRequest(user: TestUser | null, modelId: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`http://localhost/functions/v1/fine-tune-chat/${modelId}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(user ? { Authorization: `Bearer ${user.token}` } : {}),
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Sends a non-streaming chat turn to the handler and reads its JSON answer. */
export async function send(user: TestUser | null, modelId: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await chat(chatRequest(user, modelId, body, headers));
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) };
}

/** The stored exchanges matching `where`, by conversation and order. */
export async function chatRows(where: { modelId?: string; userId?: string; conversationId?: string }) {
  const sql = adminSql();
  return await sql<{
    id: string;
    user_id: string;
    model_id: string;
    conversation_id: string;
    message_order: number;
    user_message: string;
    ai_response: string;
    tokens_used: number;
    response_time_ms: number;
    used_fallback: boolean;
    model_used: string;
    created_at: Date;
  }[]>`
    select id, user_id, model_id, conversation_id, message_order, user_message, ai_response,
           tokens_used, response_time_ms, used_fallback, model_used, created_at
    from public.fine_tuned_chats
    where true
      ${where.modelId ? sql`and model_id = ${where.modelId}` : sql``}
      ${where.userId ? sql`and user_id = ${where.userId}` : sql``}
      ${where.conversationId ? sql`and conversation_id = ${where.conversationId}` : sql``}
    order by conversation_id, message_order`;
}

/** The model's chat counters and fine-tune state, as the Data API shows the row (chat counters with their unfolded tallies). */
export async function modelRow(modelId: string) {
  const [row] = await adminSql()<{
    chat_count: number;
    last_used_at: Date | null;
    fine_tuned_model_retired_at: Date | null;
    status: string;
    error: string | null;
  }[]>`
    select chat_count, last_used_at, fine_tuned_model_retired_at, status, error
    from public.fine_tuned_models where id = ${modelId}`;
  return row;
}

/** Stores earlier exchanges directly (arrangement), in order, as one conversation of `user`. */
export async function arrangeConversation(user: TestUser, modelId: string, exchanges: Exchange[]) {
  const conversationId = crypto.randomUUID();
  await adminSql().begin(async (tx) => {
    for (const exchange of exchanges) {
      await tx`
        insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response)
        values (${modelId}, ${user.id}, ${conversationId}, ${exchange.user}, ${exchange.assistant})`;
    }
  });
  return conversationId;
}
