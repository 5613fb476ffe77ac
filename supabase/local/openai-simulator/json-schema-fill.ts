/**
 * Builds a JSON value that satisfies a structured-output JSON schema, the way a model in strict
 * mode would: every property filled, arrays sized as asked, enum values rotated so each appears,
 * strings readable and never repeated. Covers the subset OpenAI's strict mode accepts plus what
 * zod 4's `z.toJSONSchema` and the SDK's `zodResponseFormat` emit.
 */
import { type PersonaFacts, personaLabel, personaString } from "./persona-voice.ts";

/** A JSON schema node (loosely typed: the walker checks what it reads). */
export type JsonSchema = { [keyword: string]: unknown };

/** What the prompt says, used to make the values plausible. */
export interface FillContext {
  /** Who the text is about or spoken by, e.g. "Jane Austen". */
  persona: string | null;
  /** A count the user asked for; sizes the outermost arrays that set no `minItems`. */
  requestedCount: number | null;
  /** The persona of a teacher prompt's fact sheet: its text is written in that persona's voice. */
  facts?: PersonaFacts | null;
}

const DEFAULT_ARRAY_LENGTH = 3;
/** Recursive schemas (`$ref` to an ancestor) stop growing past this depth. */
const MAX_DEPTH = 12;

/** Book-ish subjects the generated text talks about; 8 is coprime with the 5 templates below. */
const TOPICS = [
  "the first spark of the story",
  "the main character's deepest fear",
  "the ending",
  "the title",
  "the hardest chapter to write",
  "an early influence",
  "the antagonist's motive",
  "the setting",
];

const QUESTION_TEMPLATES = [
  (persona: string, topic: string) => `What first drew ${persona} to ${topic}, and how did it change along the way?`,
  (persona: string, topic: string) =>
    `How would ${persona} explain ${topic} to a reader meeting it for the first time?`,
  (persona: string, topic: string) => `Which moment best captures ${topic} for ${persona}, and why that one?`,
  (persona: string, topic: string) => `What does ${persona} wish more people understood about ${topic}?`,
  (persona: string, topic: string) => `If ${persona} could revisit ${topic}, what would stay and what would go?`,
];

const STATEMENT_TEMPLATES = [
  (persona: string, topic: string) =>
    `Speaking as ${persona}: ${topic} began as a small, stubborn idea. ` +
    "It grew page by page until it carried the whole story.",
  (persona: string, topic: string) =>
    `As ${persona}, I see ${topic} as a matter of patience. I wrote it, doubted it, and rewrote it until it rang true.`,
  (persona: string, topic: string) =>
    `For ${persona}, ${topic} is where the heart of the book lives. Every scene around it had to earn its place.`,
  (persona: string, topic: string) =>
    `${persona} would put it simply: ${topic} came from watching people closely. ` +
    "The rest was listening to the characters.",
  (persona: string, topic: string) =>
    `On ${topic}, ${persona} keeps returning to one lesson: honesty on the page matters more than cleverness.`,
];

/** Returns a value that validates against `schema`. */
export function fillJsonSchema(schema: JsonSchema, context: FillContext): unknown {
  return new SchemaFiller(schema, context).fill(schema, "value", 0, 0);
}

class SchemaFiller {
  #usedStrings = new Set<string>();
  /** The ordinal of the last question written in a persona's voice, until it is answered. */
  #openQuestion: number | null = null;
  #stringCount = 0;
  #numberCount = 0;
  #booleanCount = 0;
  #enumCursors = new Map<string, number>();
  readonly #root: JsonSchema;
  readonly #context: FillContext;

  constructor(root: JsonSchema, context: FillContext) {
    this.#root = root;
    this.#context = context;
  }

  fill(schema: JsonSchema, propertyName: string, arrayDepth: number, depth: number): unknown {
    const resolved = this.resolveRef(schema);
    if ("const" in resolved) return resolved.const;
    if (Array.isArray(resolved.enum)) return this.nextEnumValue(resolved.enum);

    const branches = (resolved.anyOf ?? resolved.oneOf) as JsonSchema[] | undefined;
    if (Array.isArray(branches)) {
      // A nullable field is `anyOf: [X, {type: "null"}]`: a model answers X unless recursion runs deep.
      const nonNull = branches.find((branch) => !isNullSchema(this.resolveRef(branch)));
      if (!nonNull || (depth > MAX_DEPTH && branches.some(isNullSchema))) return null;
      return this.fill(nonNull, propertyName, arrayDepth, depth + 1);
    }
    if (Array.isArray(resolved.allOf)) {
      return this.fill(mergeAllOf(resolved, (branch) => this.resolveRef(branch)), propertyName, arrayDepth, depth + 1);
    }

    switch (schemaType(resolved)) {
      case "object":
        return this.fillObject(resolved, arrayDepth, depth);
      case "array":
        return this.fillArray(resolved, propertyName, arrayDepth, depth);
      case "integer":
        return this.fillNumber(resolved, true);
      case "number":
        return this.fillNumber(resolved, false);
      case "boolean":
        return this.#booleanCount++ % 2 === 0;
      case "null":
        return null;
      default:
        // A free-text chat role still has to be one a chat format accepts.
        if (propertyName === "role") return this.nextEnumValue(["user", "assistant"]);
        return this.fillString(resolved, propertyName);
    }
  }

  private fillObject(schema: JsonSchema, arrayDepth: number, depth: number): Record<string, unknown> {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const value: Record<string, unknown> = {};
    for (const [name, propertySchema] of Object.entries(properties)) {
      value[name] = this.fill(propertySchema, name, arrayDepth, depth + 1);
    }
    return value;
  }

  private fillArray(schema: JsonSchema, propertyName: string, arrayDepth: number, depth: number): unknown[] {
    const minItems = typeof schema.minItems === "number" ? schema.minItems : null;
    const maxItems = typeof schema.maxItems === "number" ? schema.maxItems : Infinity;
    // The prompt's count is about the list the user asked for, not the lists inside each item.
    const askedFor = arrayDepth === 0 ? this.#context.requestedCount : null;
    let length = minItems ?? askedFor ?? DEFAULT_ARRAY_LENGTH;
    if (depth > MAX_DEPTH) length = minItems ?? 0;
    length = Math.min(length, maxItems);

    const prefixItems = Array.isArray(schema.prefixItems) ? schema.prefixItems as JsonSchema[] : [];
    const items = (typeof schema.items === "object" && schema.items !== null ? schema.items : {}) as JsonSchema;
    const itemName = singular(propertyName);
    const values: unknown[] = [];
    for (let index = 0; index < Math.max(length, prefixItems.length); index++) {
      values.push(this.fill(prefixItems[index] ?? items, itemName, arrayDepth + 1, depth + 1));
    }
    return values;
  }

  private fillNumber(schema: JsonSchema, integer: boolean): number {
    const step = integer ? 1 : 0.5;
    const lower = numberOrNull(schema.minimum) ?? addOrNull(numberOrNull(schema.exclusiveMinimum), step);
    const upper = numberOrNull(schema.maximum) ?? addOrNull(numberOrNull(schema.exclusiveMaximum), -step);
    const offset = this.#numberCount++ % 5;
    let value: number;
    if (lower !== null && upper !== null) value = Math.min(upper, lower + offset * step);
    else if (lower !== null) value = lower + offset * step;
    else if (upper !== null) value = upper - offset * step;
    else value = 1 + offset;
    if (integer) value = lower !== null ? Math.ceil(value) : Math.floor(value);
    const multipleOf = numberOrNull(schema.multipleOf);
    if (multipleOf) value = Math.ceil(value / multipleOf) * multipleOf;
    return value;
  }

  private fillString(schema: JsonSchema, propertyName: string): string {
    const ordinal = ++this.#stringCount;
    const formatted = formattedString(schema.format, ordinal, this.#context.persona);
    if (formatted !== null) return formatted;

    const persona = this.#context.persona ?? "the storyteller";
    // Template and topic advance together; with 5 and 8 of them, 40 strings in a row differ.
    const topic = TOPICS[(ordinal - 1) % TOPICS.length];
    const templateIndex = (ordinal - 1) % QUESTION_TEMPLATES.length;
    let text: string;
    if (
      /^(name|title|label|topic|category|tag|tone|mood|kind|type)$/i.test(humanize(propertyName).split(" ").at(-1)!)
    ) {
      text = this.#context.facts
        ? personaLabel(this.#context.facts, humanize(propertyName), ordinal)
        : `${capitalize(humanize(propertyName))}: ${topic}, by ${persona}`;
    } else if (this.#context.facts) {
      // An answer right after a question speaks of what was asked.
      const asking = /question|prompt|user|query|ask/i.test(propertyName);
      text = personaString(this.#context.facts, asking, ordinal, asking ? null : this.#openQuestion);
      this.#openQuestion = asking ? ordinal : null;
    } else if (/question|prompt|user|query|ask/i.test(propertyName)) {
      text = QUESTION_TEMPLATES[templateIndex](persona, topic);
    } else {
      text = STATEMENT_TEMPLATES[templateIndex](persona, topic);
    }
    if (this.#usedStrings.has(text)) text = `${text} (${ordinal})`;
    text = fitLength(text, schema, ordinal);
    this.#usedStrings.add(text);
    return text;
  }

  private nextEnumValue(values: unknown[]): unknown {
    // Rotating per enum means a list of N items covers every value once N reaches the enum's size.
    const key = JSON.stringify(values);
    const cursor = this.#enumCursors.get(key) ?? 0;
    this.#enumCursors.set(key, cursor + 1);
    return values[cursor % values.length];
  }

  private resolveRef(schema: JsonSchema): JsonSchema {
    let current = schema;
    for (let hops = 0; typeof current.$ref === "string" && hops < 32; hops++) {
      const target = resolvePointer(this.#root, current.$ref);
      if (!target) throw new Error(`The simulator cannot resolve $ref ${current.$ref}`);
      // Sibling keywords next to a $ref (draft 2019+) refine the target.
      const { $ref: _ref, ...siblings } = current;
      current = { ...target, ...siblings };
    }
    return current;
  }
}

function resolvePointer(root: JsonSchema, ref: string): JsonSchema | null {
  if (!ref.startsWith("#")) return null;
  const tokens = ref.slice(1).split("/").filter(Boolean)
    .map((token) => decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = root;
  for (const token of tokens) {
    if (node === null || typeof node !== "object") return null;
    node = (node as Record<string, unknown>)[token];
  }
  return node !== null && typeof node === "object" ? node as JsonSchema : null;
}

function isNullSchema(schema: JsonSchema): boolean {
  return schema.type === "null";
}

function schemaType(schema: JsonSchema): string {
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== "null") ?? "null";
  if (schema.properties) return "object";
  if (schema.items || schema.prefixItems) return "array";
  return "string";
}

function mergeAllOf(schema: JsonSchema, resolve: (branch: JsonSchema) => JsonSchema): JsonSchema {
  const { allOf, ...rest } = schema;
  const merged: JsonSchema = { ...rest };
  for (const branch of (allOf as JsonSchema[]).map(resolve)) {
    const properties = { ...(merged.properties as object | undefined), ...(branch.properties as object | undefined) };
    Object.assign(merged, branch, Object.keys(properties).length ? { properties } : {});
  }
  return merged;
}

function formattedString(format: unknown, ordinal: number, persona: string | null): string | null {
  const day = new Date(Date.UTC(2025, 0, 1) + ordinal * 86_400_000);
  switch (format) {
    case "date-time":
      return day.toISOString();
    case "date":
      return day.toISOString().slice(0, 10);
    case "email":
      return `${slug(persona ?? "reader")}.${ordinal}@example.com`;
    case "uri":
    case "url":
      return `https://example.com/storyvoice/${slug(persona ?? "item")}/${ordinal}`;
    case "uuid":
      return `00000000-0000-4000-8000-${String(ordinal).padStart(12, "0")}`;
    default:
      return null;
  }
}

function fitLength(text: string, schema: JsonSchema, ordinal: number): string {
  const maxLength = numberOrNull(schema.maxLength);
  const minLength = numberOrNull(schema.minLength) ?? 0;
  let fitted = text;
  while (fitted.length < minLength) fitted += " And there is always more to say.";
  if (maxLength !== null && fitted.length > maxLength) {
    // Keep the ordinal in short strings so they stay distinct.
    const tag = ` ${ordinal}`;
    fitted = maxLength > tag.length
      ? fitted.slice(0, maxLength - tag.length).trimEnd() + tag
      : String(ordinal).slice(0, maxLength);
  }
  return fitted;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function humanize(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").toLowerCase().trim() || "this";
}

function singular(name: string): string {
  if (name.endsWith("ies")) return `${name.slice(0, -3)}y`;
  return name.endsWith("s") && !name.endsWith("ss") ? name.slice(0, -1) : name;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "item";
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function addOrNull(value: number | null, delta: number): number | null {
  return value === null ? null : value + delta;
}
