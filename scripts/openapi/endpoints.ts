import { readdirSync, statSync } from "node:fs";
import type { Endpoint, EndpointContract } from "../../shared/http/endpoint.ts";
import type { Routes } from "../../shared/http/routes.ts";

const functionsDir = new URL("../../functions/", import.meta.url);

/** The names of the folders under functions/: one Edge Function each. */
export function functionNames(): string[] {
  return readdirSync(functionsDir)
    .filter((name) => statSync(new URL(`${name}/`, functionsDir)).isDirectory())
    .sort();
}

/** Every function's contracts, read from the endpoint (or routes) its handler.ts exports by default. */
export async function loadEndpointContracts(): Promise<EndpointContract[]> {
  const contracts: EndpointContract[] = [];
  for (const name of functionNames()) {
    const module = await import(new URL(`${name}/handler.ts`, functionsDir).href) as {
      default?: Partial<Endpoint> & Partial<Routes>;
    };
    const specs = module.default?.specs ?? (module.default?.spec ? [module.default.spec] : []);
    if (specs.length === 0) {
      throw new Error(`functions/${name}/handler.ts does not export an endpoint made by defineEndpoint or defineRoutes`);
    }
    for (const spec of specs) {
      if (spec.name !== name) throw new Error(`functions/${name} declares the endpoint name ${spec.name}`);
      contracts.push(spec);
    }
  }
  return contracts;
}
