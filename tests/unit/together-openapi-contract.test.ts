import Ajv, { type ValidateFunction } from "ajv";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTogetherSimulator } from "../../supabase/local/together-simulator/simulator.ts";
import contract from "../fixtures/together-openapi/schemas.json" with { type: "json" };

// The Together simulator's answers against the response schemas of Together's own openapi.yaml
// (togethercomputer/openapi at 090263aa0fde006d9cd958bef52719958079bbc4, MIT; see the fixture's
// README): a simulator that drifts from the published contract fails here, not in production.
const BASE = "https://api.together.xyz/v1";
const JOB_MS = 100_000;
let clock = Date.UTC(2026, 11, 5, 12);
const sim = createTogetherSimulator({ jobDurationMs: JOB_MS, now: () => clock });
const server = setupServer(...sim.handlers);
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ValidateFunction>();

/**
 * The document as a validator reads it, two quirks of its yaml aside: `nullable` (OpenAPI 3.0) on
 * a schema without `type`, which Ajv cannot apply (dropped: such schemas already allow null), and a
 * `type` beside a `oneOf` that contradicts it (TrainingMethodSFT.train_on_inputs: `type: boolean`
 * next to oneOf boolean | "auto", default "auto"; the oneOf is kept).
 */
function readable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(readable);
  if (!node || typeof node !== "object") return node;
  const schema = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, readable(value)]));
  if ("nullable" in schema && !("type" in schema)) delete schema.nullable;
  if ("oneOf" in schema && "type" in schema) delete schema.type;
  return schema;
}
const components = readable(contract.components);

/** The validator of one operation's answer, e.g. "GET /fine-tunes/{id} 200". */
function schemaOf(operation: string): ValidateFunction {
  const schema = (contract.responses as Record<string, object>)[operation];
  if (!schema) throw new Error(`no schema for ${operation} in the fixture`);
  let validate = validators.get(operation);
  if (!validate) {
    validate = ajv.compile({ allOf: [readable(schema)], components });
    validators.set(operation, validate);
  }
  return validate;
}

/** Calls the simulator and checks its answer against `operation`'s schema for the status it answered. */
async function answerOf(operation: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${BASE}${path}`, { ...init, headers: { authorization: "Bearer k", ...init.headers } });
  const body = await response.json();
  const validate = schemaOf(`${operation} ${response.status}`);
  expect(validate(body), `${operation} ${response.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  return { status: response.status, body };
}

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const line = JSON.stringify({ messages: [{ role: "user", content: "Who are you?" }, { role: "assistant", content: "The keeper." }] });

async function upload(content = `${line}\n${line}\n`) {
  const form = new FormData();
  form.set("purpose", "fine-tune");
  form.set("file_name", "storyvoice.jsonl");
  form.set("file", new Blob([content]), "storyvoice.jsonl");
  return await answerOf("POST /files/upload", "/files/upload", { method: "POST", body: form });
}

async function startJob(model = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference") {
  const file = (await upload()).body as { id: string };
  const created = await answerOf("POST /fine-tunes", "/fine-tunes", json({
    model,
    training_file: file.id,
    n_epochs: 2,
    suffix: "sv-contract",
    training_type: { type: "Lora", lora_r: 8, lora_alpha: 16 },
    training_method: { method: "sft", train_on_inputs: "auto" },
  }));
  return created.body as { id: string; model_output_name: string };
}

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());
beforeEach(() => {
  sim.reset();
  clock = Date.UTC(2026, 11, 5, 12);
});

describe("the Together simulator against Together's openapi.yaml", () => {
  it("answers files, fine-tunes (create, list, retrieve with events, cancel, delete) and their errors as published", async () => {
    const job = await startJob();
    clock += JOB_MS / 2;
    await answerOf("GET /fine-tunes", "/fine-tunes");
    expect((await answerOf("GET /fine-tunes/{id}", `/fine-tunes/${job.id}`)).body).toMatchObject({ status: "running" });
    clock += JOB_MS;
    expect((await answerOf("GET /fine-tunes/{id}", `/fine-tunes/${job.id}`)).body).toMatchObject({ status: "completed" });

    const other = await startJob();
    expect((await answerOf("POST /fine-tunes/{id}/cancel", `/fine-tunes/${other.id}/cancel`, { method: "POST" })).status).toBe(200);
    expect((await answerOf("DELETE /fine-tunes/{id}", `/fine-tunes/${job.id}`, { method: "DELETE" })).status).toBe(200);
    // Errors: Together's ErrorData.
    expect((await answerOf("DELETE /fine-tunes/{id}", `/fine-tunes/${job.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await upload("not json\n")).status).toBe(400);
  });

  it("answers the model list, the dedicated endpoints and the hardware as published", async () => {
    await answerOf("GET /models", "/models");
    const endpoint = sim.createEndpoint({ model: "Qwen/Qwen3-8B" });
    await answerOf("GET /endpoints", "/endpoints");
    expect((await answerOf("GET /endpoints/{endpointId}", `/endpoints/${endpoint.id}`)).body).toMatchObject({ state: "STARTED" });
    expect((await answerOf("GET /endpoints/{endpointId}", "/endpoints/endpoint-missing")).status).toBe(404);
    await answerOf("GET /hardware", "/hardware?model=Qwen%2FQwen3-8B");
  });

  it("answers chat as published, and refuses an undeployed adapter with its ErrorData", async () => {
    const messages = [{ role: "user", content: "Why keep the light?" }];
    expect((await answerOf("POST /chat/completions", "/chat/completions", json({ model: "Qwen/Qwen3-8B", messages }))).status).toBe(200);
    const job = await startJob("Qwen/Qwen3-8B");
    clock += JOB_MS * 2;
    const refused = await answerOf("POST /chat/completions", "/chat/completions", json({ model: job.model_output_name, messages }));
    expect(refused).toMatchObject({ status: 400, body: { error: { code: "model_not_available" } } });
    const endpoint = sim.createEndpoint({ model: "Qwen/Qwen3-8B" });
    endpoint.adapters.add(job.model_output_name);
    expect((await answerOf("POST /chat/completions", "/chat/completions", json({ model: job.model_output_name, messages }))).status).toBe(200);
    expect((await answerOf("POST /chat/completions", "/chat/completions", json({ model: "storyvoice-sim/never-trained", messages }))).status).toBe(404);
  });
});
