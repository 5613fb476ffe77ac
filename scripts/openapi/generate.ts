import { writeFileSync } from "node:fs";
import { renderOpenApiDocument } from "./document.ts";
import { loadEndpointContracts } from "./endpoints.ts";

/** `npm run openapi`: writes openapi.json at the repository root from every function's contract. */
const target = new URL("../../openapi.json", import.meta.url);
writeFileSync(target, renderOpenApiDocument(await loadEndpointContracts()));
console.log("wrote openapi.json");
