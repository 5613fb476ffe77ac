import type { z } from "zod";
import { ConfigurationError } from "../env.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { authenticateAdmin, authenticateService, authenticateUser } from "../auth/verify.ts";
import type { ServiceAuth, UserAuth } from "../auth/identity.ts";
import { corsHeaders } from "./cors.ts";
import {
  badRequest,
  HttpError,
  databaseUnavailable,
  invalidJson,
  methodNotAllowed,
  notFound,
  unsupportedMediaType,
  validationFailed,
} from "../errors.ts";
import { log } from "../log.ts";
import { jsonNestsDeeperThan, MAX_JSON_DEPTH, readLimitedText } from "../request-body.ts";
import { unstorableTextIssues } from "../models/text.ts";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** `admin`: the service role, or a signed-in user whose JWT says `app_metadata.role = "admin"`. */
export type AuthKind = "user" | "service" | "admin" | "none";
type AuthFor<A extends AuthKind> = A extends "user" ? UserAuth
  : A extends "service" ? ServiceAuth
  : A extends "admin" ? UserAuth | ServiceAuth
  : null;

/** What a handler receives: everything already authenticated and validated. */
export interface EndpointContext<A extends AuthKind, B, Q, P> {
  request: Request;
  requestId: string;
  auth: AuthFor<A>;
  body: B;
  query: Q;
  params: P;
}

/** One documented answer of an endpoint: what it means and the zod schema of its JSON body. */
export interface ResponseContract {
  description: string;
  /** The JSON body; left out when the answer is only ever one of the `alternatives` (a download). */
  schema?: z.ZodType;
  /** The same status may instead be a Server-Sent Events stream: event name -> schema of its JSON data. */
  events?: Readonly<Record<string, z.ZodType>>;
  /** Response headers worth documenting, name -> description. */
  headers?: Readonly<Record<string, string>>;
  /**
   * Other representations of the same answer (e.g. a file download), by content type: for
   * `application/x-ndjson` the schema of one line, for text types `null` (any text).
   */
  alternatives?: Readonly<Record<string, z.ZodType | null>>;
}

/** Status code -> answer, success and error alike. */
export type ResponseContracts = { readonly [status: number]: ResponseContract };

/**
 * What an endpoint declares about itself, without its handler: everything the OpenAPI document
 * is generated from. The pipeline's own answers (auth, parsing, 405, 500) are added by
 * `shared/http/pipeline-responses.ts`.
 */
export interface EndpointContract {
  /** The function's name: also the first path segment after /functions/v1. */
  name: string;
  methods: readonly Method[];
  auth: AuthKind;
  /** How a caller of an `auth: "none"` endpoint proves itself instead (verified by the handler). */
  signedBy?: "standard-webhooks";
  summary: string;
  description?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Names of the path segments after the function name, e.g. `["modelId"]`, validated by `params`. */
  path?: readonly string[];
  params?: z.ZodType;
  /**
   * When set, only these methods take the path segments, and may also leave them off (e.g. GET
   * `/<name>/<id>` for one item and GET `/<name>?...` for many); the other methods take none.
   */
  pathMethods?: readonly Method[];
  maxBodyBytes?: number;
  responses: ResponseContracts;
}

/** Literal types widened to their primitive: zod checks enums at runtime, TS checks the shape. */
type Widen<T> = T extends string ? string
  : T extends number ? number
  : T extends boolean ? boolean
  : T extends readonly (infer U)[] ? Widen<U>[]
  : T extends object ? { [K in keyof T]: Widen<T[K]> }
  : T;

type SuccessStatus<R> = Extract<keyof R, 200 | 201 | 202 | 207>;
type WithoutSuccess<T> = T extends unknown ? Omit<T, "success"> & { success?: boolean } : never;
type SuccessBody<C> = C extends { schema: infer S extends z.ZodType } ? WithoutSuccess<Widen<z.input<S>>> : never;

/** A JSON answer of `handle`: a success status of the contract and a success body (`success` is added). */
export type HandlerResult<R> = { status?: SuccessStatus<R>; body: SuccessBody<R[SuccessStatus<R>]> };

/** An endpoint is declared, not written: the pipeline does CORS, auth, parsing and errors. */
export interface EndpointSpec<A extends AuthKind, B, Q, P, R extends ResponseContracts> extends EndpointContract {
  auth: A;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  responses: R;
  /** Return a Response, or a JSON body (with `success: true` put first) and an optional status. */
  handle(context: EndpointContext<A, B, Q, P>): Promise<Response | HandlerResult<R>>;
}

/** The handler of one Edge Function, carrying the contract it was declared with. */
export type Endpoint = ((request: Request) => Promise<Response>) & { readonly spec: EndpointContract };

/** Largest body accepted by default: chat messages and book descriptions fit well within it. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024;

/** JSON response with the API's conventions. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

function errorBody(error: HttpError) {
  return {
    success: false,
    error: {
      code: error.code,
      message: error.message,
      ...(error.options.details === undefined ? {} : { details: error.options.details }),
      ...(error.options.retryable ? { retryable: true } : {}),
    },
    ...error.options.extra,
  };
}

function toIssues(error: z.ZodError) {
  return error.issues.map((issue) => ({
    path: issue.path.filter((part): part is string | number => typeof part !== "symbol"),
    message: issue.message,
  }));
}

async function parseBody<B>(request: Request, schema: z.ZodType<B>, limit: number): Promise<B> {
  const contentType = request.headers.get("content-type") ?? "";
  if (contentType && !contentType.toLowerCase().includes("json")) throw unsupportedMediaType();
  const text = await readLimitedText(request, limit);
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new HttpError(400, "invalid_json", `The request body nests more than ${MAX_JSON_DEPTH} levels deep.`);
  }
  let value: unknown;
  try {
    value = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw invalidJson();
  }
  const unstorable = unstorableTextIssues(value);
  if (unstorable.length > 0) throw validationFailed(unstorable, 422);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(toIssues(parsed.error), 422);
  return parsed.data;
}

/** The segments after `/<name>/`, wherever the platform mounts the function. */
function pathSegmentsAfter(url: URL, name: string): string[] {
  const segments = url.pathname.split("/").filter(Boolean).map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw badRequest("The path is not valid percent-encoding.");
    }
  });
  const at = segments.lastIndexOf(name);
  return at === -1 ? [] : segments.slice(at + 1);
}

/** The path or query values, validated: 400 with the issue paths. */
function parseOrBadRequest<T>(schema: z.ZodType<T>, value: unknown): T {
  const unstorable = unstorableTextIssues(value);
  if (unstorable.length > 0) throw validationFailed(unstorable, 400);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(toIssues(parsed.error), 400);
  return parsed.data;
}

/** Maps anything thrown to an HttpError; unknown faults become a 500 that reveals nothing. */
function toHttpError(error: unknown, requestId: string, name: string): HttpError {
  if (error instanceof HttpError) return error;
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  if ((error as { name?: unknown } | null)?.name === "AbortError") {
    // The client went away mid-request: nobody reads this answer, and it is no fault of ours.
    return new HttpError(499, "client_closed_request", "The client closed the request.");
  }
  const kind = error instanceof ConfigurationError ? "configuration" : "unexpected";
  log.error(`${kind} error`, { requestId, function: name, error });
  return new HttpError(500, "internal_error", "Something went wrong on our side.");
}

/** Builds the `(Request) => Promise<Response>` handler of one Edge Function. */
export function defineEndpoint<
  A extends AuthKind,
  B = undefined,
  Q = undefined,
  P = undefined,
  R extends ResponseContracts = ResponseContracts,
>(spec: EndpointSpec<A, B, Q, P, R>): Endpoint {
  const limit = spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return Object.assign(handle, { spec: spec as EndpointContract });

  async function handle(request: Request): Promise<Response> {
    const started = performance.now();
    const requestId = request.headers.get("x-request-id")?.slice(0, 64) || crypto.randomUUID();
    let response: Response;
    try {
      const cors = corsHeaders(request, spec.methods);
      if (request.method === "OPTIONS") {
        response = new Response(null, { status: 204, headers: cors });
      } else {
        try {
          response = await run(request, requestId);
        } catch (error) {
          const httpError = toHttpError(error, requestId, spec.name);
          response = jsonResponse(httpError.status, errorBody(httpError), httpError.options.headers);
        }
        for (const [key, value] of Object.entries(cors)) response.headers.set(key, value);
      }
    } catch (error) {
      // Only configuration can fail outside the inner try (CORS reads env).
      const httpError = toHttpError(error, requestId, spec.name);
      response = jsonResponse(httpError.status, errorBody(httpError));
    }
    response.headers.set("x-request-id", requestId);
    log.info("request", {
      requestId,
      function: spec.name,
      method: request.method,
      status: response.status,
      durationMs: Math.round(performance.now() - started),
    });
    return response;
  }

  /** `/<name>/<a>/<b>` -> `{ [path[0]]: a, [path[1]]: b }`; extra segments are an unknown route. */
  function parsePathParams(url: URL, method: Method): P {
    const segments = pathSegmentsAfter(url, spec.name);
    const takesPath = !spec.pathMethods || spec.pathMethods.includes(method);
    const names = takesPath ? spec.path ?? [] : [];
    if (segments.length > names.length) throw notFound("No such route.");
    if (!spec.params) return undefined as P;
    return parseOrBadRequest(spec.params, Object.fromEntries(names.map((name, i) => [name, segments[i]])));
  }

  async function run(request: Request, requestId: string): Promise<Response> {
    if (!spec.methods.includes(request.method as Method)) throw methodNotAllowed(spec.methods);
    const auth = (spec.auth === "user"
      ? await authenticateUser(request)
      : spec.auth === "service"
      ? await authenticateService(request)
      : spec.auth === "admin"
      ? await authenticateAdmin(request)
      : null) as AuthFor<A>;

    const url = new URL(request.url);
    const params = parsePathParams(url, request.method as Method);
    const query = spec.query
      ? parseOrBadRequest(spec.query, Object.fromEntries(url.searchParams))
      : undefined as Q;
    const body = spec.body ? await parseBody(request, spec.body, limit) : undefined as B;

    const result = await spec.handle({ request, requestId, auth, body, query, params });
    if (result instanceof Response) return result;
    return jsonResponse(Number(result.status ?? 200), { success: true, ...result.body });
  }
}
