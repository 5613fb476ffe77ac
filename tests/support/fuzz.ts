// Seeded random requests for the endpoint fuzz: a small PRNG, instances of the OpenAPI
// document's JSON Schemas, and the hostile values a client could send instead.

/** mulberry32: a tiny deterministic PRNG, so a failing request can be replayed from its seed. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

export type Random = ReturnType<typeof prng>;
type Schema = Record<string, any>;

/** Strings that have broken servers: NUL, lone surrogates, huge, markup, SQL, path tricks, odd Unicode. */
export const HOSTILE_STRINGS: readonly string[] = [
  "",
  " ",
  // NUL and lone surrogates twice over: Postgres refuses both, so they find the most.
  "\u0000",
  "a\u0000b",
  "Chapter 1\n\nText with a NUL \u0000 inside.",
  "\ud800",
  "\udfff lone low",
  "Chapter 1\n\nHalf an emoji \ud83d here.",
  "😀📚✨ Ünïcödé ℌ𝔢𝔩𝔩𝔬",
  "\u202e\u200b\ufeff",
  "x".repeat(5000),
  "y".repeat(70_000),
  "'; drop table books; --",
  "<script>alert(1)</script>",
  "../../../etc/passwd",
  "%00%ZZ%",
  "null",
  "-1",
  "1e309",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-fffffffffffg",
];

/** Values of every JSON type, for a field that expects another. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  [],
  {},
  [null],
  { $ref: "#" },
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
  ...HOSTILE_STRINGS,
];

/** A JSON text nested `depth` levels deep (arrays or objects). */
export const deeplyNested = (depth: number, kind: "array" | "object") =>
  kind === "array" ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

/** Request bodies that are not the JSON the endpoint wants at all. */
export const HOSTILE_BODIES: readonly string[] = [
  "",
  "{",
  "null",
  "[]",
  "0",
  '"text"',
  "\u0000",
  "{\"a\":1,}",
  "\ufeff{}",
  deeplyNested(5000, "array"),
  deeplyNested(3000, "object"),
  "[" + "1,".repeat(8000) + "1]",
];

function resolve(document: Schema, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current?.$ref && hops < 20; hops++) {
    const path = String(current.$ref).replace(/^#\//, "").split("/");
    current = path.reduce((node: Schema, key) => node?.[key], document);
  }
  return current ?? {};
}

/** URL-encodes text, lone surrogates as U+FFFD (encodeURIComponent throws on them; `%ED%A0%80` is sent raw). */
export const encode = (text: string) => encodeURIComponent(text.toWellFormed());

const uuid = (random: Random) =>
  "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, () => random.int(0, 15).toString(16));

/**
 * An instance of a JSON Schema, mostly valid: required properties and some optional ones, values
 * within their bounds; `known` supplies real values by property name (a model id the caller owns).
 */
export function instanceOf(document: Schema, raw: Schema, random: Random, known: Record<string, unknown[]> = {}, depth = 0, name = ""): unknown {
  const schema = resolve(document, raw);
  if ("const" in schema) return schema.const;
  if (schema.enum) return random.pick(schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return instanceOf(document, random.pick(choices), random, known, depth, name);
  if (schema.allOf) return instanceOf(document, schema.allOf[0], random, known, depth, name);
  if (schema.default !== undefined && random.chance(0.3)) return schema.default;
  const type = Array.isArray(schema.type) ? random.pick(schema.type) : schema.type;
  switch (type) {
    case "object": {
      const result: Record<string, unknown> = {};
      const required = new Set<string>(schema.required ?? []);
      for (const [key, property] of Object.entries<Schema>(schema.properties ?? {})) {
        if (depth > 4 && !required.has(key)) continue;
        if (required.has(key) || random.chance(0.5)) result[key] = instanceOf(document, property, random, known, depth + 1, key);
      }
      return result;
    }
    case "array": {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? min + 3, min + 3);
      return Array.from({ length: random.int(min, max) }, () => instanceOf(document, schema.items ?? {}, random, known, depth + 1, name));
    }
    case "integer":
    case "number": {
      const min = Math.max(schema.minimum ?? -1000, -1e6);
      const max = Math.min(schema.maximum ?? 1000, 1e6);
      const value = min + random.next() * (max - min);
      return type === "integer" ? Math.round(value) : value;
    }
    case "boolean":
      return random.chance(0.5);
    case "null":
      return null;
    case "string": {
      if (known[name]?.length && random.chance(0.7)) return random.pick(known[name]);
      if (schema.format === "uuid") return uuid(random);
      if (schema.format === "date-time") return new Date(Date.UTC(2026, 11, random.int(1, 28))).toISOString();
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 40, 40);
      const length = random.int(Math.max(min, 1), Math.max(min, max, 1));
      return Array.from({ length }, () => random.pick([..."abcdefghij klmnop.,"])).join("");
    }
    default:
      return random.pick(["anything", 1, true, null]);
  }
}

/** The value with one hostile change somewhere inside: a field of the wrong type, removed, or extra. */
export function mutate(value: unknown, random: Random, depth = 0): unknown {
  if (value && typeof value === "object" && depth < 6 && random.chance(0.75)) {
    if (Array.isArray(value)) {
      if (value.length === 0 || random.chance(0.2)) return [...value, random.pick(HOSTILE_VALUES)];
      const copy = [...value];
      const at = random.int(0, copy.length - 1);
      copy[at] = mutate(copy[at], random, depth + 1);
      return copy;
    }
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (keys.length === 0 || random.chance(0.15)) {
      copy[random.pick(["extra", "__proto__", "constructor", "\u0000", "😀"])] = random.pick(HOSTILE_VALUES);
    } else if (random.chance(0.15)) {
      delete copy[random.pick(keys)];
    } else {
      const key = random.pick(keys);
      copy[key] = mutate(copy[key], random, depth + 1);
    }
    return copy;
  }
  // Text stays text most of the time (it then passes the type check and reaches the code behind it).
  const textual = typeof value === "string" ? 0.8 : 0.4;
  return random.chance(textual) ? random.pick(HOSTILE_STRINGS) : random.pick(HOSTILE_VALUES);
}

/** A valid path segment for a parameter: a real id when there is one, else a value of its schema. */
export function validPathValue(document: Schema, parameter: Schema, random: Random, known: Record<string, unknown[]>): string {
  const real = known[parameter.name] ?? [];
  if (real.length && random.chance(0.7)) return encode(String(random.pick(real)));
  return encode(String(instanceOf(document, parameter.schema ?? {}, random, known, 0, parameter.name)));
}

/** A hostile path segment: malformed uuids, huge strings, NUL, broken escapes, Unicode, traversal. */
export function hostilePathValue(random: Random): string {
  return random.pick([
    () => uuid(random).toUpperCase(),
    () => "not-a-uuid",
    () => "%00",
    () => `${uuid(random)}%00`,
    () => "a%00b",
    () => "book%00",
    () => "%00%00",
    () => "%ZZ",
    () => "%E0%A4%A",
    () => "%ED%A0%80",
    () => "%C0%80",
    () => encode("😀📚"),
    () => "x".repeat(random.pick([300, 5000])),
    () => "..%2F..%2Fetc",
    () => "-1",
    () => "1.5",
    () => "true",
    () => "null",
    () => "%20",
    () => encode(random.pick(HOSTILE_STRINGS).slice(0, 3000)),
  ])();
}

const HOSTILE_QUERY_VALUES = [
  ...HOSTILE_STRINGS.filter((text) => text.length < 6000),
  "NaN",
  "Infinity",
  "1e400",
  "-0",
  "0x10",
  "[]",
  "{}",
];

/**
 * A query string of the documented parameters with valid values, or with one made hostile
 * (a bad value, the parameter twice, or an unknown parameter) when `hostile`.
 */
export function queryString(document: Schema, parameters: Schema[], random: Random, known: Record<string, unknown[]>, hostile: boolean): string {
  const pairs: [string, string][] = [];
  for (const parameter of parameters) {
    if (parameter.required || random.chance(0.5)) {
      pairs.push([parameter.name, String(instanceOf(document, parameter.schema ?? {}, random, known, 0, parameter.name))]);
    }
  }
  if (hostile) {
    const name = parameters.length && random.chance(0.8) ? random.pick(parameters).name : random.pick(["unknown", "__proto__", "\u0000", "select"]);
    const value = random.pick(HOSTILE_QUERY_VALUES);
    const at = pairs.findIndex(([key]) => key === name);
    if (at >= 0 && random.chance(0.2)) pairs.push([name, value]);
    else if (at >= 0) pairs[at] = [name, value];
    else pairs.push([name, value]);
  }
  if (pairs.length === 0) return "";
  return "?" + pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join("&");
}
