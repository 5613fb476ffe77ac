import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { resetEnv } from "../../shared/env.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { defineRoutes } from "../../shared/http/routes.ts";

// One function, several endpoints: each method reaches its own declared endpoint (path, body and
// answers of its own); preflights and other methods are answered with every method of the function.
const items = defineRoutes(
  defineEndpoint({
    name: "items",
    methods: ["GET"],
    auth: "none",
    path: ["listId"],
    params: z.object({ listId: z.string() }),
    summary: "list",
    responses: {},
    async handle({ params }) {
      return { body: { listed: params.listId } };
    },
  }),
  defineEndpoint({
    name: "items",
    methods: ["PATCH"],
    auth: "none",
    path: ["listId", "itemId"],
    params: z.object({ listId: z.string(), itemId: z.string() }),
    body: z.object({ name: z.string().min(1) }).strict(),
    summary: "edit",
    responses: {},
    async handle({ params, body }) {
      return { body: { edited: params.itemId, name: body.name } };
    },
  }),
);

const call = (method: string, path: string, init: RequestInit = {}) =>
  items(new Request(`http://localhost/items/${path}`, { method, ...init }));

describe("routes", () => {
  beforeEach(() => {
    Object.assign(process.env, { SUPABASE_DB_URL: "postgresql://unused@127.0.0.1:1/none", CORS_ALLOWED_ORIGINS: "*" });
    resetEnv();
  });

  it("sends each method to its endpoint, with that endpoint's path and body", async () => {
    const listed = await call("GET", "a");
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({ success: true, listed: "a" });

    const edited = await call("PATCH", "a/b", { body: JSON.stringify({ name: "x" }), headers: { "Content-Type": "application/json" } });
    expect(await edited.json()).toEqual({ success: true, edited: "b", name: "x" });

    const invalid = await call("PATCH", "a/b", { body: JSON.stringify({ name: "" }), headers: { "Content-Type": "application/json" } });
    expect(invalid.status).toBe(422);
    expect((await call("GET", "a/b")).status).toBe(404);
  });

  it("answers preflights and unknown methods with every method of the function", async () => {
    const preflight = await call("OPTIONS", "a/b", { headers: { "Access-Control-Request-Method": "PATCH" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET, PATCH, OPTIONS");

    const other = await call("PUT", "a");
    expect(other.status).toBe(405);
    expect((await other.json()).error.code).toBe("method_not_allowed");
  });

  it("carries every endpoint's contract for the OpenAPI document", () => {
    expect(items.specs.map((spec) => [spec.methods, spec.path])).toEqual([[["GET"], ["listId"]], [["PATCH"], ["listId", "itemId"]]]);
  });

  it("refuses to route one method twice", () => {
    const get = defineEndpoint({ name: "twice", methods: ["GET"], auth: "none", summary: "", responses: {}, handle: async () => ({ body: {} }) });
    expect(() => defineRoutes(get, get)).toThrow("twice routes GET twice");
  });
});
