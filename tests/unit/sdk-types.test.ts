import { readFileSync } from "node:fs";
import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";

// The SDK is typed from openapi.json: sdk/openapi.ts must be what `npm run sdk:types` writes now.
const root = new URL("../../", import.meta.url);

describe("sdk/openapi.ts", () => {
  it("is generated from the committed openapi.json", async () => {
    const document = JSON.parse(readFileSync(new URL("openapi.json", root), "utf8"));
    const generated = astToString(await openapiTS(document));
    const committed = readFileSync(new URL("sdk/openapi.ts", root), "utf8");
    const body = (text: string) => text.replace(/^\/\*\*[\s\S]*?\*\/\s*/, "").trim();
    expect(body(committed), "run `npm run sdk:types` and commit the result").toBe(body(generated));
  }, 30_000);
});
