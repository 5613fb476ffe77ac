import type { EndpointContract, ResponseContract } from "../../shared/http/endpoint.ts";
import { documentedResponses } from "../../shared/http/pipeline-responses.ts";
import { type JsonSchema, objectFields, SchemaCollector } from "./json-schema.ts";

/** The schemes `auth` maps to; service endpoints take either of two. */
const SECURITY_SCHEMES = {
  userJwt: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Supabase Auth access token of a signed-in user (role `authenticated`)",
  },
  serviceKey: {
    type: "apiKey",
    in: "header",
    name: "apikey",
    description: "The project's secret key (`sb_secret_...`) or service-role key",
  },
  serviceRoleJwt: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "The legacy service-role JWT",
  },
  webhookId: { type: "apiKey", in: "header", name: "webhook-id", description: "Standard Webhooks: the delivery's id" },
  webhookTimestamp: {
    type: "apiKey",
    in: "header",
    name: "webhook-timestamp",
    description: "Standard Webhooks: Unix seconds, within 5 minutes of the server's clock",
  },
  webhookSignature: {
    type: "apiKey",
    in: "header",
    name: "webhook-signature",
    description: "Standard Webhooks: `v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the endpoint's `whsec_` secret",
  },
} as const;

function security(spec: EndpointContract) {
  if (spec.auth === "user") return [{ userJwt: [] }];
  if (spec.auth === "service") return [{ serviceKey: [] }, { serviceRoleJwt: [] }];
  if (spec.auth === "admin") return [{ userJwt: [] }, { serviceKey: [] }, { serviceRoleJwt: [] }];
  if (spec.signedBy === "standard-webhooks") return [{ webhookId: [], webhookTimestamp: [], webhookSignature: [] }];
  return [];
}

const capitalized = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;

/**
 * `fine-tune-status` -> `fineTuneStatus`; when a function has several methods, the method comes
 * first; the variant of an optional path that takes it ends `By<Param>`.
 */
function operationId(spec: EndpointContract, method: string, methodsOfFunction: number, withPath: boolean) {
  const name = spec.name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  const id = methodsOfFunction === 1 ? name : `${method.toLowerCase()}${capitalized(name)}`;
  return spec.pathMethods && withPath ? `${id}By${(spec.path ?? []).map(capitalized).join("And")}` : id;
}

/** The path the pipeline routes: `/<name>` and, when `withPath`, one template segment per path name. */
export function operationPath(spec: EndpointContract, withPath = true) {
  const segments = withPath ? (spec.path ?? []).map((name) => `{${name}}`) : [];
  return `/${[spec.name, ...segments].join("/")}`;
}

/**
 * Where each method is routed: every method at the full path; with `pathMethods`, every method at
 * `/<name>` and those methods also at the full path.
 */
function routes(spec: EndpointContract): { path: string; method: string; withPath: boolean }[] {
  if (!spec.pathMethods || !spec.path?.length) {
    return spec.methods.map((method) => ({ path: operationPath(spec), method, withPath: true }));
  }
  return [
    ...spec.methods.map((method) => ({ path: operationPath(spec, false), method, withPath: false })),
    ...spec.pathMethods.map((method) => ({ path: operationPath(spec), method, withPath: true })),
  ];
}

function parameters(spec: EndpointContract, schemas: SchemaCollector, withPath: boolean) {
  const list: Record<string, unknown>[] = [];
  if (spec.params && withPath) {
    for (const field of objectFields(schemas.convert(spec.params, "input"))) {
      list.push({ name: field.name, in: "path", required: true, schema: field.schema });
    }
  }
  if (spec.query) {
    for (const field of objectFields(schemas.convert(spec.query, "input"))) {
      const { description, ...schema } = field.schema;
      list.push({
        name: field.name,
        in: "query",
        required: field.required,
        ...(description === undefined ? {} : { description }),
        schema,
      });
    }
  }
  return list;
}

function requestBody(spec: EndpointContract, schemas: SchemaCollector) {
  if (!spec.body) return undefined;
  return {
    // The pipeline reads an empty body as `{}`: a body that accepts `{}` may be left out.
    required: !spec.body.safeParse({}).success,
    content: { "application/json": { schema: schemas.convert(spec.body, "input") } },
  };
}

function response(contract: ResponseContract, schemas: SchemaCollector) {
  const content: Record<string, unknown> = {
    ...(contract.schema ? { "application/json": { schema: schemas.convert(contract.schema, "output") } } : {}),
  };
  for (const [type, line] of Object.entries(contract.alternatives ?? {})) {
    content[type] = {
      schema: !line
        ? { type: "string" }
        : type === "application/x-ndjson"
        ? { description: "Each line is one JSON value of this schema", ...schemas.convert(line, "output") }
        : schemas.convert(line, "output"),
    };
  }
  if (contract.events) {
    // OpenAPI 3.1 has no item schema for streams: the schema describes one event, a stream is many.
    content["text/event-stream"] = {
      schema: {
        description: "Each Server-Sent Event: its `event` name and its `data` line, JSON",
        oneOf: Object.entries(contract.events).map(([event, data]) => ({
          type: "object",
          properties: { event: { const: event }, data: schemas.convert(data, "output") },
          required: ["event", "data"],
        })),
      },
    };
  }
  return {
    description: contract.description,
    ...(contract.headers
      ? {
        headers: Object.fromEntries(
          Object.entries(contract.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }]),
        ),
      }
      : {}),
    content,
  };
}

function operation(
  spec: EndpointContract,
  method: string,
  methodsOfFunction: number,
  withPath: boolean,
  schemas: SchemaCollector,
) {
  const params = parameters(spec, schemas, withPath);
  const body = requestBody(spec, schemas);
  const responses = Object.entries(documentedResponses(spec))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, contract]) => [status, response(contract, schemas)]);
  return {
    operationId: operationId(spec, method, methodsOfFunction, withPath),
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    security: security(spec),
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: Object.fromEntries(responses),
  };
}

function sortedByKey<T>(entries: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The OpenAPI 3.1 document of the given endpoints: the same input always gives the same document. */
export function buildOpenApiDocument(endpoints: readonly EndpointContract[]) {
  const schemas = new SchemaCollector();
  const paths: Record<string, Record<string, unknown>> = {};
  const methodsOf = (name: string) =>
    endpoints.filter((spec) => spec.name === name).reduce((sum, spec) => sum + spec.methods.length, 0);
  // A function may route several endpoints (one per method), on one path or several.
  for (const spec of [...endpoints].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    for (const { path, method, withPath } of routes(spec)) {
      const item = paths[path] ??= {};
      const key = method.toLowerCase();
      if (item[key]) throw new Error(`Two endpoints are routed at ${method} ${path}`);
      item[key] = operation(spec, method, methodsOf(spec.name), withPath, schemas);
    }
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Storyvoice API",
      version: "1.0.0",
      description: "Fine-tuned author and character chat: the Edge Functions of a Supabase project. " +
        "Generated from the endpoints' zod contracts by `npm run openapi`.",
    },
    servers: [
      {
        url: "https://{projectRef}.supabase.co/functions/v1",
        variables: { projectRef: { default: "your-project-ref", description: "The Supabase project's reference" } },
      },
      { url: "http://127.0.0.1:54321/functions/v1", description: "The local stack (`npm run dev`)" },
    ],
    paths: sortedByKey(paths),
    components: {
      schemas: sortedByKey(schemas.components as Record<string, JsonSchema>),
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

/** The document as committed: 2-space indentation and a trailing newline. */
export function renderOpenApiDocument(endpoints: readonly EndpointContract[]): string {
  return `${JSON.stringify(buildOpenApiDocument(endpoints), null, 2)}\n`;
}
