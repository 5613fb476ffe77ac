import type { paths } from "./openapi.ts";

/**
 * Requests typed by path from the generated `paths` (sdk/openapi.ts): the path and method decide
 * the path parameters, query, JSON body and answer, so a method that claims another endpoint's
 * answer does not compile.
 */

export type Method = "get" | "put" | "post" | "patch" | "delete";
export type Path = keyof paths;

/** The operation at `path` and `method` (never when the path does not answer that method). */
export type OperationAt<P extends Path, M extends Method> = Extract<paths[P][M], { responses: unknown }>;

/** The methods a path answers. */
export type MethodOf<P extends Path> = { [M in Method]: OperationAt<P, M> extends never ? never : M }[Method];

type JsonContent<R> = R extends { content: { "application/json": infer J } } ? J : never;

/** The JSON of an operation's success answers (200, 201 or 202). */
export type SuccessJson<O> = O extends { responses: infer R } ? JsonContent<R[Extract<keyof R, 200 | 201 | 202>]> : never;

/** An operation's JSON request body (never when it takes none). */
export type JsonBody<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? B
  : O extends { requestBody?: { content: { "application/json": infer B } } } ? B
  : never;

/** An operation's query parameters (never when it takes none). */
export type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

type PathParamsOf<O> = O extends { parameters: { path: infer P } } ? P : never;

/** What a request sends besides its path; `params` only, and always, where the path has `{...}`. */
export type RequestParts<P extends Path, O> =
  & { query?: QueryOf<O>; body?: JsonBody<O>; signal?: AbortSignal }
  & (P extends `${string}{${string}}${string}` ? { params: PathParamsOf<O> } : { params?: never });

/** The arguments after method and path: optional where nothing is required. */
export type RequestArgs<P extends Path, O> = P extends `${string}{${string}}${string}` ? [parts: RequestParts<P, O>]
  : [parts?: RequestParts<P, O>];

/** A JSON request to `path` with `method`, answering the documented success body. */
export type TypedCall = <P extends Path, M extends MethodOf<P>>(
  method: M,
  path: P,
  ...args: RequestArgs<P, OperationAt<P, M>>
) => Promise<SuccessJson<OperationAt<P, M>>>;

/**
 * The URL of `path` under `functionsUrl`: its `{name}` parts filled from `params` (encoded), and
 * the query's set values appended.
 */
export function pathUrl(
  functionsUrl: string,
  path: Path,
  params: Record<string, string> = {},
  query: Record<string, unknown> = {},
): URL {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (params[name] === undefined) throw new TypeError(`${path} needs ${name}`);
    return encodeURIComponent(params[name]);
  });
  const url = new URL(`${functionsUrl}${filled}`);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
  }
  return url;
}
