import { defineEndpoint, type Endpoint, type EndpointContract, type Method } from "./endpoint.ts";

/** One Edge Function answering several endpoints: each method is its own declared endpoint. */
export type Routes = ((request: Request) => Promise<Response>) & { readonly specs: readonly EndpointContract[] };

/**
 * Routes a request by method to the endpoint declared for it, so one function can offer e.g.
 * GET and POST on `/<name>/:modelId` and PATCH and DELETE on `/<name>/:modelId/:exampleId`, each
 * with its own path, body and response contracts. Preflights and other methods are answered by
 * the pipeline with every method of the function.
 */
export function defineRoutes(...endpoints: Endpoint[]): Routes {
  const name = endpoints[0].spec.name;
  const byMethod = new Map<string, Endpoint>();
  for (const endpoint of endpoints) {
    if (endpoint.spec.name !== name) throw new Error(`${endpoint.spec.name} is routed inside ${name}`);
    for (const method of endpoint.spec.methods) {
      if (byMethod.has(method)) throw new Error(`${name} routes ${method} twice`);
      byMethod.set(method, endpoint);
    }
  }
  // Never reaches its handler: a method it lists is routed to its endpoint before it.
  const others = defineEndpoint({
    name,
    methods: [...byMethod.keys()] as Method[],
    auth: "none",
    summary: name,
    responses: {},
    handle: () => Promise.reject(new Error("unrouted method")),
  });
  const route = (request: Request) => {
    const method = request.method === "OPTIONS"
      ? request.headers.get("access-control-request-method")?.toUpperCase()
      : request.method;
    const endpoint = request.method === "OPTIONS" ? undefined : byMethod.get(method ?? "");
    return (endpoint ?? others)(request);
  };
  return Object.assign(route, { specs: endpoints.map((endpoint) => endpoint.spec) });
}
