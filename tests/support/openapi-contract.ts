import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { parseEventStream } from "./sse.ts";

// Every answer the e2e suites get is checked against the committed openapi.json (kept fresh by
// tests/unit/openapi.test.ts): an undocumented status or a body off its schema fails the test.

const DOCUMENT_ID = "storyvoice-openapi";
const document = JSON.parse(readFileSync(new URL("../../openapi.json", import.meta.url), "utf8"));

// strict: false because the document is OpenAPI, not a bare JSON Schema; formats are left to the
// patterns zod writes beside them.
const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
ajv.addSchema(document, DOCUMENT_ID);

const compiled = new Map<string, ValidateFunction>();

/** A validator for the schema at `pointer` (JSON Pointer segments) inside the document. */
function validatorAt(segments: string[]): ValidateFunction {
  const fragment = segments.map((segment) => encodeURIComponent(segment.replaceAll("~", "~0").replaceAll("/", "~1")))
    .join("/");
  const ref = `${DOCUMENT_ID}#/${fragment}`;
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  return validate;
}

/**
 * The documented path a request path is answered by: an exact match of the templates, else the
 * template that is its prefix (the pipeline answers extra segments with 404 as that function).
 */
function findPath(path: string): string | undefined {
  const segments = path.split("/").filter(Boolean);
  const templates = Object.keys(document.paths as Record<string, unknown>);
  const matches = (template: string, exact: boolean) => {
    const parts = template.split("/").filter(Boolean);
    if (exact ? parts.length !== segments.length : parts.length > segments.length) return false;
    return parts.every((part, i) => /^\{.+\}$/.test(part) || part === segments[i]);
  };
  return templates.find((template) => matches(template, true)) ??
    templates.find((template) => matches(template, false));
}

function describeErrors(validate: ValidateFunction) {
  return (validate.errors ?? []).slice(0, 8).map((error) => `${error.instancePath || "/"} ${error.message}`).join("; ");
}

/**
 * Fails (throws) unless the answer is documented for this method, path and status and its body
 * matches the schema: JSON bodies as a whole, event streams event by event. CORS preflights are
 * answered by the pipeline for every function and are not operations.
 */
export function assertDocumentedResponse(
  method: string,
  url: string,
  response: { status: number; headers: Headers; text: string },
) {
  if (method === "OPTIONS") return;
  const { pathname } = new URL(url);
  const path = pathname.replace(/^.*?\/functions\/v1(?=\/)/, "");
  const where = `${method} ${path} -> ${response.status}`;
  const template = findPath(path);
  if (!template) throw new Error(`openapi.json has no path for ${where}`);
  const operations = document.paths[template] as Record<string, { responses: Record<string, any> }>;
  // A method the path does not offer is answered 405 by the pipeline, as its operations document.
  const operationMethod = operations[method.toLowerCase()] ? method.toLowerCase()
    : response.status === 405 ? Object.keys(operations)[0]
    : undefined;
  if (!operationMethod) throw new Error(`openapi.json has no ${method} operation at ${template} (${where})`);
  const documented = operations[operationMethod].responses[String(response.status)];
  if (!documented) {
    throw new Error(`openapi.json does not document ${where}: ${response.text.slice(0, 300)}`);
  }

  const contentType = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!documented.content?.[contentType]) {
    throw new Error(`openapi.json does not document ${contentType || "no content type"} for ${where}`);
  }
  const validate = validatorAt(["paths", template, operationMethod, "responses", String(response.status), "content", contentType, "schema"]);
  if (contentType === "text/event-stream") {
    for (const event of parseEventStream(response.text)) {
      if (!validate(event)) {
        throw new Error(`event ${event.event} of ${where} does not match openapi.json: ${describeErrors(validate)}\n${JSON.stringify(event.data)}`);
      }
    }
    return;
  }
  if (contentType === "application/x-ndjson") {
    for (const [index, line] of response.text.split("\n").entries()) {
      if (line.trim() === "") continue;
      const value = JSON.parse(line);
      if (!validate(value)) {
        throw new Error(`line ${index + 1} of ${where} does not match openapi.json: ${describeErrors(validate)}\n${line.slice(0, 500)}`);
      }
    }
    return;
  }
  // Audio, images and archives are bytes: their documented content type is the whole contract.
  if (contentType.startsWith("audio/") || contentType.startsWith("image/") || contentType === "application/zip") return;
  if (contentType.startsWith("text/")) {
    if (!validate(response.text)) throw new Error(`the body of ${where} does not match openapi.json: ${describeErrors(validate)}`);
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new Error(`${where} is documented as JSON but its body is not: ${response.text.slice(0, 300)}`);
  }
  if (!validate(body)) {
    throw new Error(`the body of ${where} does not match openapi.json: ${describeErrors(validate)}\n${response.text.slice(0, 2000)}`);
  }
}
