import { setupServer } from "msw/node";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import { ConfigurationError, env } from "../../shared/env.ts";
import { generateStyleGuide } from "../../shared/personas/style-guide.ts";
import type { PersonaInput } from "../../shared/personas/types.ts";
import { forgetCatalogue } from "../../shared/catalogue/current.ts";
import { refreshCatalogue } from "../../shared/catalogue/refresh.ts";
import { chatProvider } from "../../shared/providers/chat-registry.ts";
import { resetCompatibleClient } from "../../shared/providers/compatible/client.ts";
import { teacherAvailable } from "../../shared/catalogue/teacher.ts";
import { SUPPORTED_CHAT_PARAMETERS } from "../../supabase/local/compatible-simulator/parameters.ts";
import { createCompatibleSimulator } from "../../supabase/local/compatible-simulator/simulator.ts";
import { chatRequest, chatRows, configure, NEVER_DUE, send, STYLE_GUIDE } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { parseEventStream } from "../support/sse.ts";
import { adminSql, createUser } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// CHAT_PROVIDER=compatible pointed at a Cohere-like simulator: the persona fallback and the teacher
// through the real handler on the suite's own database. The simulator refuses every parameter that
// Cohere's Compatibility API reference (docs.cohere.com/docs/compatibility-api, "Supported
// parameters" / "Unsupported parameters") does not list as supported, so an answer proves we sent
// nothing else.

const BASE_URL = "https://api.cohere.ai/compatibility/v1";
const MODEL = "command-a-03-2025";
const KEY = "co-test-key-0123456789";
/** Every test starts from these; the msw server answers Cohere's URL and nothing else. */
const COMPATIBLE_SETTINGS = {
  CHAT_PROVIDER: "compatible",
  CHAT_MODEL: undefined,
  TEACHER_MODEL: undefined,
  COMPATIBLE_BASE_URL: BASE_URL,
  COMPATIBLE_API_KEY: KEY,
  COMPATIBLE_MODEL: MODEL,
};
const compatibleSim = createCompatibleSimulator();
const cohere = setupServer(...compatibleSim.handlers);

function useCompatible(overrides: Record<string, string | undefined> = {}) {
  configure({ ...COMPATIBLE_SETTINGS, ...overrides });
  resetCompatibleClient();
  forgetCatalogue();
}

useSuiteDatabase();
beforeAll(() => cohere.listen({ onUnhandledRequest: "error" }));
beforeEach(() => (compatibleSim.reset(), useCompatible()));
afterEach(() => cohere.resetHandlers());
afterAll(() => cohere.close());

/** A reader and a persona still waiting for training: its chat is the fallback's. */
async function readerWithPersona() {
  const reader = await createUser("reader");
  const fields = { status: "pending", next_check_at: NEVER_DUE, style_description: STYLE_GUIDE, entity_name: "Ada Byron" } as const;
  return { reader, modelId: await insertModel(reader.id, fields) };
}

/** Every top-level parameter of every request the simulator saw. */
const sentParameters = () => new Set(compatibleSim.requests.flatMap((request) => Object.keys(request)));

describe("chat on an OpenAI-compatible endpoint (Cohere's Compatibility API)", () => {
  it("the fallback answers with COMPATIBLE_MODEL, sending max_tokens and temperature and nothing undocumented", async () => {
    const { reader, modelId } = await readerWithPersona();

    const { status, json } = await send(reader, modelId, { message: "What is the engine for?", temperature: 0.4, maxTokens: 300 });

    expect(status).toBe(200);
    expect(json).toMatchObject({ success: true, usingFallback: true });
    expect(json.response).toContain("As Ada Byron");
    expect(compatibleSim.requests).toHaveLength(1);
    expect(compatibleSim.requests[0]).toMatchObject({ model: MODEL, max_tokens: 300, temperature: 0.4 });
    expect([...sentParameters()].filter((name) => !SUPPORTED_CHAT_PARAMETERS.has(name))).toEqual([]);
    expect((await chatRows({ modelId }))[0]).toMatchObject({ used_fallback: true, model_used: MODEL });
  });

  it("streams: deltas as the model writes, then done once stored (no stream_options sent)", async () => {
    const { reader, modelId } = await readerWithPersona();

    const response = await chat(chatRequest(reader, modelId, { message: "Tell me a story", stream: true }));

    expect(response.status).toBe(200);
    const events = parseEventStream(await response.text());
    const written = events.flatMap((event) => event.event === "delta" ? [event.data.text as string] : []);
    expect(written.length).toBeGreaterThan(1);
    expect(events.at(-1)).toMatchObject({ event: "done", data: { usingFallback: true, messageOrder: 1 } });
    expect(compatibleSim.requests).toEqual([expect.objectContaining({ model: MODEL, stream: true })]);
    expect(compatibleSim.requests[0]).not.toHaveProperty("stream_options");
    const [row] = await chatRows({ modelId });
    expect(row.ai_response).toBe(written.join(""));
    expect(row.tokens_used).toBeGreaterThan(0); // estimated: the stream carries no usage
  });

  it.each([
    ["a Cohere 500", () => compatibleSim.failNext({ status: 500, times: 3 }), false, 502],
    ["a Cohere 429", () => compatibleSim.failNext({ status: 429, times: 3 }), false, 503],
    ["a Cohere 401", () => compatibleSim.failNext({ status: 401, times: 3 }), false, 502],
    ["a stream cut off before its finish", () => compatibleSim.breakNextStream(), true, 200],
  ] as const)("%s: the reader is told to try again and nothing is stored", async (_what, arrange, stream, expected) => {
    const { reader, modelId } = await readerWithPersona();
    arrange();

    const response = await chat(chatRequest(reader, modelId, { message: "Anyone?", stream }));

    expect(response.status).toBe(expected);
    const failure = stream ? parseEventStream(await response.text()).at(-1) : { event: "error", data: (await response.json()).error };
    expect(failure).toMatchObject({ event: "error", data: { retryable: true } });
    expect(await chatRows({ modelId })).toHaveLength(0);
  });

  it("a Cohere 402 (billing limit reached) means the endpoint is closed to us: unavailable, not a bad request", async () => {
    compatibleSim.failNext({ status: 402 });
    const provider = await chatProvider("compatible");

    const failure = provider.completeChat({ model: MODEL, messages: [{ role: "user", content: "Hello" }] });

    await expect(failure).rejects.toMatchObject({ name: "ProviderError", kind: "unavailable", status: 402 });
  });

  it("the catalogue refresh reads the endpoint's model list: max_tokens rules, no shutdown dates", async () => {
    const refresh = await refreshCatalogue({ force: true });

    expect(refresh.refreshed).toContain("compatible");
    const rows = await adminSql()<{ model_id: string; token_parameter: string; shutdown_date: Date | null }[]>`
      select model_id, token_parameter, shutdown_date from private.model_catalogue where provider = 'compatible'`;
    expect(rows.map((row) => row.model_id)).toContain(MODEL);
    expect(rows.every((row) => row.token_parameter === "max_tokens" && row.shutdown_date === null)).toBe(true);
  });
});

describe("the simulator holds the client to Cohere's documented parameters", () => {
  const client = () => new OpenAI({ baseURL: BASE_URL, apiKey: KEY, maxRetries: 0 });
  const messages = [{ role: "user" as const, content: "Hello" }];

  it.each([
    ["stream_options", { stream: true, stream_options: { include_usage: true } }],
    ["max_completion_tokens", { max_completion_tokens: 100 }],
    ["reasoning_effort low", { reasoning_effort: "low" as const }],
    ["n (listed as unsupported)", { n: 2 }],
    ["response_format json_schema", { response_format: { type: "json_schema" as const, json_schema: { name: "x", schema: {} } } }],
  ])("refuses %s with Cohere's 400 error body", async (_name, extra) => {
    const failure = await client().chat.completions.create({ model: MODEL, messages, ...extra } as never)
      .then(() => null, (error: unknown) => error);

    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(400);
    expect(compatibleSim.requests).toHaveLength(1);
  });
});

describe("the teacher on an OpenAI-compatible endpoint", () => {
  const nemo = "The Nautilus's commander, a scholar at war with the nations of the surface.";
  const voyage = "A professor, his servant and a harpooner are held aboard a submarine that roams every ocean.";
  const persona: PersonaInput = { kind: "character", characterName: "Captain Nemo", characterDescription: nemo, bookTitle: "Twenty Thousand Leagues Under the Seas", bookAuthor: "Jules Verne", bookDescription: voyage };

  it("writes a style guide: json_object with Cohere's schema field, max_tokens, one system turn, zod-checked", async () => {
    expect(teacherAvailable()).toBe(true);

    const guide = await generateStyleGuide(persona);

    expect(guide).toContain("## Voice");
    expect(guide).toContain("Captain Nemo");
    const [request] = compatibleSim.requests;
    expect(request).toMatchObject({ model: MODEL, max_tokens: 3000, response_format: { type: "json_object" } });
    expect((request.response_format as { schema: { type: string } }).schema.type).toBe("object");
    const roles = (request.messages as { role: string }[]).map((message) => message.role);
    expect(roles.filter((role) => role === "system")).toHaveLength(1);
    expect(roles[0]).toBe("system");
    expect([...sentParameters()].filter((name) => !SUPPORTED_CHAT_PARAMETERS.has(name))).toEqual([]);
  });

  it("TEACHER_MODEL overrides COMPATIBLE_MODEL for the teacher only", async () => {
    useCompatible({ TEACHER_MODEL: "command-r7b-12-2024" });

    await generateStyleGuide(persona);

    expect(compatibleSim.requests[0]).toMatchObject({ model: "command-r7b-12-2024" });
    expect(env().CHAT_MODEL).toBe(MODEL);
  });
});

describe("configuration", () => {
  it("CHAT_PROVIDER=compatible without COMPATIBLE_BASE_URL fails loudly, naming it", () => {
    useCompatible({ COMPATIBLE_BASE_URL: undefined });
    expect(() => env()).toThrow(ConfigurationError);
    expect(() => env()).toThrow(/COMPATIBLE_BASE_URL: is required/);
  });

  it("without COMPATIBLE_MODEL (or both CHAT_MODEL and TEACHER_MODEL) it fails loudly too", () => {
    useCompatible({ COMPATIBLE_MODEL: undefined, CHAT_MODEL: "command-a-03-2025" });
    expect(() => env()).toThrow(/COMPATIBLE_MODEL: is required/);
  });

  it("no key is needed for a self-hosted server (vLLM, Ollama)", () => {
    useCompatible({ COMPATIBLE_API_KEY: undefined });
    expect(teacherAvailable()).toBe(true);
  });
});
