import { z } from "zod";

/** A JSON Schema (2020-12) object as zod writes it. */
export type JsonSchema = Record<string, unknown>;

const COMPONENT_REF = "#/components/schemas/";

/**
 * Converts zod schemas to JSON Schema for one OpenAPI document, collecting every schema that has a
 * metadata `id` (`.meta({ id: "Model" })`) once, as a named component. Request bodies and
 * parameters are converted as inputs (defaults make a field optional), responses as outputs.
 */
export class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const converted = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      unrepresentable: "throw",
      cycles: "ref",
      reused: "inline",
    }) as JsonSchema;
    const { $schema: _dialect, $defs, ...root } = converted;
    for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      this.addComponent(id, rewriteRefs(definition) as JsonSchema);
    }
    return rewriteRefs(root) as JsonSchema;
  }

  private addComponent(id: string, definition: JsonSchema) {
    const known = this.components[id];
    if (known && JSON.stringify(known) !== JSON.stringify(definition)) {
      throw new Error(`Two different schemas are named ${id} (used both as input and output?)`);
    }
    this.components[id] = definition;
  }
}

/** zod refers to named schemas as `#/$defs/<id>`; in the document they live under components. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [
    key,
    key === "$ref" && typeof inner === "string" ? inner.replace(/^#\/\$defs\//, COMPONENT_REF) : rewriteRefs(inner),
  ]));
}

/** The properties of an object schema converted as input, with whether each is required. */
export function objectFields(schema: JsonSchema): { name: string; schema: JsonSchema; required: boolean }[] {
  if (schema.type !== "object") throw new Error("Path and query schemas must be zod objects");
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({ name, schema: property, required: required.has(name) }));
}
