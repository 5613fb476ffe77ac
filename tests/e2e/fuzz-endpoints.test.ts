import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signLocalToken } from "../../supabase/local/dev-keys.ts";
import {
  deeplyNested,
  encode,
  HOSTILE_BODIES,
  instanceOf,
  mutate,
  hostilePathValue,
  prng,
  queryString,
  type Random,
  validPathValue,
} from "../support/fuzz.ts";
import { callFunction } from "../support/http.ts";
import { insertModel } from "../support/models.ts";
import { closeAdminSql, createAdmin, createUser, serviceKey, stack, type TestUser } from "../support/stack.ts";

// Seeded random and hostile requests to every operation openapi.json lists (every function's
// every method and path), with and without valid credentials, over HTTP to the Deno-served
// functions. No answer may be a 5xx, an error that is not the JSON error body, or slower than 2 s.
// FUZZ_SEED replays another run; each operation's seed is derived from it and its name.

const BASE_SEED = Number(process.env.FUZZ_SEED ?? 26);
const REQUESTS_PER_OPERATION = 40;
const SLOW_MS = 2000;
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const document = JSON.parse(readFileSync(new URL("../../openapi.json", import.meta.url), "utf8"));

interface Operation {
  method: string;
  template: string;
  parameters: Record<string, any>[];
  body?: Record<string, any>;
  security: string;
}

const operations: Operation[] = Object.entries<Record<string, any>>(document.paths).flatMap(([template, item]) =>
  METHODS.filter((method) => item[method]).map((method) => ({
    method: method.toUpperCase(),
    template,
    parameters: item[method].parameters ?? [],
    body: item[method].requestBody?.content?.["application/json"]?.schema,
    security: Object.keys(item[method].security?.[0] ?? {})[0] ?? "none",
  }))
);

/** A stable seed per operation: the base seed mixed with the operation's name (FNV-1a). */
function seedOf(operation: Operation): number {
  let hash = 0x811c9dc5 ^ BASE_SEED;
  for (const char of `${operation.method} ${operation.template}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash >>> 0;
}


interface Answer {
  request: string;
  status: number;
  contentType: string;
  text: string;
  ms: number;
}

interface Credentials {
  owner: TestUser;
  other: TestUser;
  admin: TestUser;
  expiredToken: string;
}

/** The operation's proper credentials, or (when `hostile`) another user's, none, or bad ones. */
function headersFor(operation: Operation, random: Random, users: Credentials, hostile: boolean): Record<string, string> {
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  if (!hostile) {
    if (operation.template === "/fine-tune-analytics") return bearer(users.admin.token);
    if (operation.security === "serviceKey") return { apikey: serviceKey };
    if (operation.security === "webhookId") {
      return { "webhook-id": "msg_fuzz", "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": "v1,AAAA" };
    }
    return bearer(users.owner.token);
  }
  return random.pick([
    () => bearer(users.other.token),
    () => ({}),
    () => bearer("not.a.jwt"),
    () => bearer(serviceKey),
    () => ({ Authorization: "Basic Zm9vOmJhcg==" }),
    () => ({ Authorization: `Bearer ${users.owner.token.slice(0, -4)}AAAA` }),
    () => bearer(users.expiredToken),
    () => ({ apikey: "sb_secret_wrong" }),
  ])();
}

const line = (value: unknown) => JSON.stringify(value);
/**
 * Valid bodies the schema alone rarely yields (one of two fields, text inside text), so mutating
 * them reaches the code behind validation; `known` ids are filled in when sent.
 */
const EXAMPLE_BODIES: Record<string, (known: Record<string, unknown[]>) => unknown> = {
  "PUT /fine-tune-book/{bookId}": () => ({ text: "Chapter 1\n\nMara kept the lantern.\n\nChapter 2\n\nThe storm came.", title: "The Lantern" }),
  "POST /fine-tune-card-import": () => ({ card: { spec: "chara_card_v2", spec_version: "2.0", data: { name: "Bob", description: "A sailor.", first_mes: "Ahoy." } }, quick: true }),
  "POST /fine-tune-transcript": (known) => ({
    modelId: known.modelId[0],
    transcript: [line({ name: "You", is_user: true, mes: "Hello" }), line({ name: "Mara", is_user: false, mes: "Hi there." })].join("\n"),
  }),
  "POST /fine-tune-examples/{modelId}": () => ({
    jsonl: line({ messages: [{ role: "user", content: "Who are you?" }, { role: "assistant", content: "The keeper." }] }),
  }),
};

/** A valid body of the operation's schema, or (when `hostile`) a mutated one, not JSON, or none. */
function bodyFor(operation: Operation, random: Random, known: Record<string, unknown[]>, hostile: boolean): { text?: string; contentType?: string } {
  const json = (value: unknown) => ({ text: JSON.stringify(value), contentType: "application/json" });
  if (!operation.body) {
    return hostile ? { text: random.pick(HOSTILE_BODIES), contentType: "application/json" } : {};
  }
  const example = EXAMPLE_BODIES[`${operation.method} ${operation.template}`];
  const valid = () => example && random.chance(0.6) ? example(known) : instanceOf(document, operation.body!, random, known);
  if (!hostile) return json(valid());
  return random.pick([
    () => json(mutate(valid(), random)),
    () => json(mutate(valid(), random)),
    () => json(mutate(valid(), random)),
    () => json(mutate(mutate(valid(), random), random)),
    () => ({ text: random.pick(HOSTILE_BODIES), contentType: "application/json" }),
    () => ({ text: JSON.stringify(valid()), contentType: random.pick(["text/plain", "multipart/form-data", "application/x-www-form-urlencoded"]) }),
    () => ({ text: `{"wrapper":${deeplyNested(random.pick([200, 2000]), random.pick(["array", "object"]))}}`, contentType: "application/json" }),
    () => ({}),
  ])();
}

/**
 * One request: valid in every part but one (credentials, a path segment, the query or the body)
 * that is made hostile, so each hostile part reaches the code behind the checks before it.
 */
async function send(operation: Operation, random: Random, users: Credentials, known: Record<string, unknown[]>): Promise<Answer> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === "path");
  const parts = ["none", "auth", "query", "body", "body", ...pathParameters.map((parameter) => `path:${parameter.name}`)];
  const hostile = random.pick(parts);
  const path = operation.template.replace(/\{(\w+)\}/g, (_, name: string) =>
    hostile === `path:${name}`
      ? hostilePathValue(random)
      : validPathValue(document, pathParameters.find((parameter) => parameter.name === name)!, random, known)
  );
  const query = queryString(document, operation.parameters.filter((parameter) => parameter.in === "query"), random, known, hostile === "query");
  // fetch sends no body with GET.
  const body = operation.method === "GET" ? {} : bodyFor(operation, random, known, hostile === "body");
  const headers: Record<string, string> = { ...headersFor(operation, random, users, hostile === "auth") };
  if (body.contentType) headers["Content-Type"] = body.contentType;
  if (random.chance(0.1)) headers.Accept = "text/event-stream";
  return await timed(`${operation.method} ${path.slice(0, 200)}${query.slice(0, 200)} (hostile ${hostile})`, `${path}${query}`, {
    method: operation.method,
    headers,
    body: body.text,
  });
}

/** Sends a request; an answer's time runs to its last byte, a stream's to its headers. */
async function timed(label: string, path: string, init: RequestInit): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${stack().functionsUrl}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
  const contentType = response.headers.get("content-type") ?? "";
  const streaming = contentType.includes("text/event-stream");
  const headersMs = performance.now() - started;
  const text = await response.text();
  const ms = streaming ? headersMs : performance.now() - started;
  return { request: `${label} [${(init.headers as Record<string, string>).Authorization ? "auth" : "no auth"}]`, status: response.status, contentType, text, ms };
}

/** What is wrong with an answer: a 5xx, an error that is not the JSON error body, or slowness. */
function problemsOf(answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`status ${answer.status}`);
  if (answer.ms > SLOW_MS) problems.push(`took ${Math.round(answer.ms)} ms`);
  if (answer.status >= 400) {
    let body: any;
    try {
      body = JSON.parse(answer.text);
    } catch {
      body = undefined;
    }
    if (!answer.contentType.includes("application/json")) problems.push(`content-type ${answer.contentType || "none"}`);
    if (body?.success !== false || typeof body?.error?.code !== "string" || typeof body?.error?.message !== "string") {
      problems.push(`error body ${answer.text.slice(0, 120)}`);
    }
  }
  return problems;
}

describe("fuzzing every endpoint", () => {
  let users: Credentials;
  const known: Record<string, unknown[]> = {};

  beforeAll(async () => {
    const owner = await createUser("fuzz-owner");
    users = {
      owner,
      other: await createUser("fuzz-other"),
      admin: await createAdmin("fuzz-admin"),
      expiredToken: await signLocalToken({ sub: owner.id, role: "authenticated" }, "-1h"),
    };
    const bookId = `fuzz-book-${crypto.randomUUID().slice(0, 8)}`;
    const own = await insertModel(users.owner.id, { book_id: bookId, type: "character", entity_name: "Mara" });
    const othersPublic = await insertModel(users.other.id, { book_id: bookId, is_public: true });
    await callFunction(`fine-tune-book/${bookId}`, { method: "PUT", token: users.owner.token, body: { text: "Chapter 1\n\nMara kept the lantern.\n\nChapter 2\n\nThe storm came." } });
    const chat = await callFunction(`fine-tune-chat/${own}`, { token: users.owner.token, body: { message: "Hello" } });
    const examples = await callFunction(`fine-tune-examples/${own}`, { token: users.owner.token });
    Object.assign(known, {
      modelId: [own, othersPublic],
      modelIds: [own, othersPublic],
      bookId: [bookId],
      conversationId: [chat.json?.conversationId].filter(Boolean),
      chatId: [chat.json?.chatId].filter(Boolean),
      exampleId: (examples.json?.examples ?? []).map((example: { id: string }) => example.id).slice(0, 2),
    });
  });
  afterAll(closeAdminSql);

  it("covers every function the project deploys", () => {
    const functions = readdirSync(new URL("../../functions", import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    const covered = new Set(operations.map((operation) => operation.template.split("/")[1]));
    expect(functions.filter((name) => !covered.has(name))).toEqual([]);
  });

  it(`answers ${REQUESTS_PER_OPERATION} seeded requests per operation, and stray methods and paths, without a 5xx, a non-JSON error or a slow answer`, async () => {
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    let sent = 0;
    let slowest = 0;
    const check = (answer: Answer) => {
      sent++;
      slowest = Math.max(slowest, answer.ms);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      const problems = problemsOf(answer);
      if (problems.length) failures.push(`${answer.request}: ${answer.status} ${problems.join("; ")}`);
    };
    for (const operation of operations) {
      const random = prng(seedOf(operation));
      for (let i = 0; i < REQUESTS_PER_OPERATION; i++) check(await send(operation, random, users, known));
    }
    // Per function: a method it does not declare, and a path with a segment too many.
    for (const name of new Set(operations.map((operation) => operation.template.split("/")[1]))) {
      const auth = { Authorization: `Bearer ${users.owner.token}`, "Content-Type": "application/json" };
      check(await timed(`PATCH /${name} (stray)`, `/${name}/a/b/c`, { method: "PATCH", headers: auth, body: "{}" }));
      check(await timed(`GET /${name}/x/y/z`, `/${name}/${encode("x")}/y/z`, { method: "GET", headers: auth }));
    }
    console.info(`fuzz: ${sent} requests over ${operations.length} operations, base seed ${BASE_SEED}, ` +
      `statuses ${JSON.stringify(statuses)}, slowest ${Math.round(slowest)} ms, ${failures.length} failures`);
    for (const failure of failures) console.info(`fuzz failure: ${failure}`);
    expect(failures).toEqual([]);
  }, 120_000);
});
