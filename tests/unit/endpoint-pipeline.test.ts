import { SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { resetEnv } from "../../shared/env.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { HttpError, upstreamFailed } from "../../shared/errors.ts";
import { MAX_JSON_DEPTH } from "../../shared/request-body.ts";
import { LOCAL_JWT_SECRET, LOCAL_SECRET_KEY, localJwks, signLocalToken } from "../../supabase/local/dev-keys.ts";

// The shared pipeline in-process: every error status it produces, with no database involved.
const echo = defineEndpoint({
  name: "echo",
  methods: ["POST"],
  auth: "user",
  path: ["itemId"],
  params: z.object({ itemId: z.string().uuid() }),
  query: z.object({ verbose: z.enum(["yes", "no"]).optional() }),
  body: z.object({ message: z.string().min(1).max(10), nested: z.object({ count: z.number().int() }) }),
  maxBodyBytes: 256,
  async handle({ auth, body, params, query }) {
    if (body.message === "boom") throw new Error("secret database detail");
    if (body.message === "upstream") throw upstreamFailed();
    if (body.message === "dbdown") throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    return { status: 201, body: { user: auth.userId, body, params, query } };
  },
});

const serviceOnly = defineEndpoint({
  name: "svc",
  methods: ["POST"],
  auth: "service",
  async handle() {
    return { body: { ok: true } };
  },
});

const itemId = "5f0c2a4e-8f55-4d3f-9d53-0b7e1a1f4c11";
const userId = "0b8f6f7e-3c1e-4c2a-9b7d-1f6a2e9d4c55";

function request(options: { method?: string; token?: string; body?: string; headers?: Record<string, string>; path?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  return new Request(`http://localhost/echo/${options.path ?? itemId}`, {
    method: options.method ?? "POST",
    headers,
    body: options.body,
  });
}

const validBody = JSON.stringify({ message: "hi", nested: { count: 1 } });

describe("request pipeline", () => {
  let token: string;
  beforeEach(async () => {
    Object.assign(process.env, {
      SUPABASE_DB_URL: "postgresql://unused@127.0.0.1:1/none",
      SUPABASE_JWT_SECRET: LOCAL_JWT_SECRET,
      SUPABASE_JWKS: localJwks(),
      SUPABASE_SECRET_KEY: LOCAL_SECRET_KEY,
      CORS_ALLOWED_ORIGINS: "*",
    });
    resetEnv();
    token = await signLocalToken({ sub: userId, role: "authenticated" });
  });

  it("runs the handler with the verified user, params, query and body", async () => {
    const response = await echo(new Request(`http://localhost/echo/${itemId}?verbose=yes`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "x-request-id": "req-1" },
      body: validBody,
    }));
    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toEqual({
      success: true,
      user: userId,
      body: { message: "hi", nested: { count: 1 } },
      params: { itemId },
      query: { verbose: "yes" },
    });
  });

  it("accepts a legacy HS256 token without kid when the JWT secret is configured", async () => {
    const legacy = await new SignJWT({ sub: userId, role: "authenticated" })
      .setProtectedHeader({ alg: "HS256" }).setExpirationTime("1h")
      .sign(new TextEncoder().encode(LOCAL_JWT_SECRET));
    expect((await echo(request({ token: legacy, body: validBody }))).status).toBe(201);
  });

  it("answers preflight without auth", async () => {
    const response = await echo(request({ method: "OPTIONS" }));
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
  });

  it("405 with Allow for a wrong method", async () => {
    const response = await echo(request({ method: "GET", token }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    expect((await response.json()).error.code).toBe("method_not_allowed");
  });

  it("401 for missing, malformed, expired, forged and wrong-key tokens", async () => {
    const expired = await signLocalToken({ sub: userId, role: "authenticated" }, "-1s");
    const otherKey = await new SignJWT({ sub: userId, role: "authenticated" })
      .setProtectedHeader({ alg: "HS256", kid: "storyvoice-local-hs256" }).setExpirationTime("1h")
      .sign(new TextEncoder().encode("another-secret-another-secret-another-secret"));
    for (const candidate of [undefined, "not-a-jwt", expired, otherKey, `${token.slice(0, -4)}AAAA`]) {
      const response = await echo(request({ token: candidate, body: validBody }));
      expect(response.status, String(candidate)).toBe(401);
      expect((await response.json()).error.code).toBe("unauthorized");
    }
  });

  it("403 for a valid token whose role is not authenticated", async () => {
    const anon = await signLocalToken({ sub: userId, role: "anon" });
    expect((await echo(request({ token: anon, body: validBody }))).status).toBe(403);
  });

  it("400 for a bad path parameter or query, 404 for extra path segments", async () => {
    const badPath = await echo(request({ token, body: validBody, path: "nope" }));
    expect(badPath.status).toBe(400);
    expect((await badPath.json()).error.details[0].path).toEqual(["itemId"]);
    const extra = await echo(request({ token, body: validBody, path: `${itemId}/more` }));
    expect(extra.status).toBe(404);
    const badEncoding = await echo(request({ token, body: validBody, path: "%E0%A4%A" }));
    expect(badEncoding.status).toBe(400);
    expect((await badEncoding.json()).error.code).toBe("bad_request");
    const badQuery = await echo(new Request(`http://localhost/echo/${itemId}?verbose=maybe`, {
      method: "POST", headers: { Authorization: `Bearer ${token}` }, body: validBody,
    }));
    expect(badQuery.status).toBe(400);
  });

  it("400 for non-JSON, 415 for another media type, 413 for an oversized body", async () => {
    expect((await echo(request({ token, body: "{not json" }))).status).toBe(400);
    const media = await echo(request({ token, body: validBody, headers: { "Content-Type": "text/plain" } }));
    expect(media.status).toBe(415);
    const big = await echo(request({ token, body: JSON.stringify({ message: "x".repeat(1000) }) }));
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe("payload_too_large");
  });

  it("422 with every issue path for a body that fails the schema", async () => {
    const response = await echo(request({ token, body: JSON.stringify({ message: "", nested: { count: 1.5 } }) }));
    expect(response.status).toBe(422);
    const { error } = await response.json();
    expect(error.code).toBe("validation_failed");
    expect(error.details.map((issue: { path: unknown[] }) => issue.path)).toEqual([["message"], ["nested", "count"]]);
  });

  it("text Postgres cannot store (NUL, a lone surrogate) is refused in the path and query (400) and anywhere in the body (422)", async () => {
    const nulPath = await echo(request({ token, body: validBody, path: `${itemId}%00` }));
    expect(nulPath.status).toBe(400);
    expect((await nulPath.json()).error.details).toEqual([{ path: ["itemId"], message: "Must not contain the NUL character" }]);
    const nulQuery = await echo(new Request(`http://localhost/echo/${itemId}?verbose=y%00s`, {
      method: "POST", headers: { Authorization: `Bearer ${token}` }, body: validBody,
    }));
    expect(nulQuery.status).toBe(400);
    expect((await nulQuery.json()).error.details[0].path).toEqual(["verbose"]);
    // Unknown keys too: a schema that strips them never sees them, the database might.
    const body = '{"message":"hi\\ud800","nested":{"count":1,"tags":["ok","a\\u0000b"]},"\\ud83d":1}';
    const unstorable = await echo(request({ token, body }));
    expect(unstorable.status).toBe(422);
    expect((await unstorable.json()).error.details).toEqual([
      { path: ["\ud83d"], message: "Its name: Must be valid Unicode (it holds a lone surrogate)" },
      { path: ["message"], message: "Must be valid Unicode (it holds a lone surrogate)" },
      { path: ["nested", "tags", 1], message: "Must not contain the NUL character" },
    ]);
    const emoji = await echo(request({ token, body: JSON.stringify({ message: "hi 😀", nested: { count: 1 } }) }));
    expect(emoji.status).toBe(201);
  });

  it("400 for a body nested deeper than the limit, before JSON.parse spends time on it", async () => {
    const anything = defineEndpoint({
      name: "anything",
      methods: ["POST"],
      auth: "none",
      body: z.unknown(),
      maxBodyBytes: 1024 * 1024,
      handle: async () => ({ body: {} }),
    });
    const post = (body: string) =>
      anything(new Request("http://localhost/anything", { method: "POST", headers: { "Content-Type": "application/json" }, body }));
    const atLimit = "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH);
    expect((await post(atLimit)).status).toBe(200);
    expect((await post(`{"a":"[[[[${"[".repeat(MAX_JSON_DEPTH)}\\"]"}`)).status).toBe(200);
    const deep = await post("[".repeat(400_000) + "]".repeat(400_000));
    expect(deep.status).toBe(400);
    expect((await deep.json()).error).toMatchObject({ code: "invalid_json", message: expect.stringContaining(`${MAX_JSON_DEPTH} levels`) });
  });

  it("500 that reveals nothing for an unexpected fault", async () => {
    const response = await echo(request({ token, body: JSON.stringify({ message: "boom", nested: { count: 1 } }) }));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("secret database detail");
    expect(JSON.parse(text).error.code).toBe("internal_error");
  });

  it("502 retryable for a provider failure, 503 for an unreachable database", async () => {
    const upstream = await echo(request({ token, body: JSON.stringify({ message: "upstream", nested: { count: 1 } }) }));
    expect(upstream.status).toBe(502);
    expect((await upstream.json()).error.retryable).toBe(true);
    const down = await echo(request({ token, body: JSON.stringify({ message: "dbdown", nested: { count: 1 } }) }));
    expect(down.status).toBe(503);
    expect((await down.json()).error).toMatchObject({ code: "database_unavailable", retryable: true });
  });

  it("service endpoints take the service key, refuse users (403) and strangers (401)", async () => {
    const call = (headers: Record<string, string>) =>
      serviceOnly(new Request("http://localhost/svc", { method: "POST", headers }));
    expect((await call({ apikey: LOCAL_SECRET_KEY })).status).toBe(200);
    expect((await call({ apikey: "sb_secret_wrong" })).status).toBe(401);
    expect((await call({})).status).toBe(401);
    expect((await call({ Authorization: `Bearer ${token}` })).status).toBe(403);
    const legacyService = await new SignJWT({ role: "service_role" })
      .setProtectedHeader({ alg: "HS256" }).setExpirationTime("1h")
      .sign(new TextEncoder().encode(LOCAL_JWT_SECRET));
    expect((await call({ Authorization: `Bearer ${legacyService}` })).status).toBe(200);
  });

  it("service endpoints take the platform's service-role key as-is, and nothing close to it", async () => {
    process.env.SUPABASE_SERVICE_ROLE_KEY = "service-role-key-from-the-platform";
    resetEnv();
    try {
      const call = (headers: Record<string, string>) =>
        serviceOnly(new Request("http://localhost/svc", { method: "POST", headers }));
      expect((await call({ Authorization: "Bearer service-role-key-from-the-platform" })).status).toBe(200);
      expect((await call({ apikey: "service-role-key-from-the-platform" })).status).toBe(200);
      expect((await call({ Authorization: "Bearer service-role-key-from-the-platforM" })).status).toBe(401);
      expect((await call({ Authorization: "Bearer service-role-key-from-the-platform-and-more" })).status).toBe(401);
    } finally {
      delete process.env.SUPABASE_SERVICE_ROLE_KEY;
      resetEnv();
    }
  });

  it("HttpError carries its status and code", () => {
    const error = new HttpError(418, "teapot", "short and stout");
    expect([error.status, error.code, error.message]).toEqual([418, "teapot", "short and stout"]);
  });
});
