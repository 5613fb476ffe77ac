import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderOpenApiDocument } from "../../scripts/openapi/document.ts";
import { functionNames, loadEndpointContracts } from "../../scripts/openapi/endpoints.ts";

// openapi.json is the API's contract, generated from the endpoints' zod schemas and committed.
const committed = readFileSync(new URL("../../openapi.json", import.meta.url), "utf8");

describe("openapi.json", () => {
  it("is what the endpoints' contracts generate", async () => {
    const generated = renderOpenApiDocument(await loadEndpointContracts());
    // A boolean, not a string diff: thousands of lines of diff say less than the fix does.
    expect(generated === committed, "openapi.json is stale: run `npm run openapi` and commit it").toBe(true);
  });

  it("documents every function under functions/", () => {
    const paths = Object.keys(JSON.parse(committed).paths as Record<string, unknown>);
    const documented = new Set(paths.map((path) => path.split("/")[1]));
    expect(functionNames().length).toBeGreaterThan(0);
    for (const name of functionNames()) expect(documented.has(name), `${name} is not in openapi.json`).toBe(true);
  });

  it("names its shared schemas as components", () => {
    const { components, openapi, jsonSchemaDialect } = JSON.parse(committed);
    expect(openapi).toBe("3.1.0");
    expect(jsonSchemaDialect).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(components.schemas)).toEqual(expect.arrayContaining(["Model", "Error", "ChatDeltaEvent", "ChatDoneEvent", "ChatErrorEvent"]));
  });
});
