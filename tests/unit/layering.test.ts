import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The layers of shared/, bottom to top. A folder may import its own layer and the ones below it,
// never one above; `http` is the top and only functions/ (and tests) use it. A top-level file
// (shared/env.ts) is its own "folder" by its name without `.ts`.
const LAYERS: readonly (readonly string[])[] = [
  ["env", "log", "errors", "request-body", "clock"],
  ["auth", "db", "llm"],
  ["providers"],
  // Which live model a request goes to: the stored catalogue read through db, over the providers.
  ["catalogue"],
  ["personas", "training", "models", "books"],
  ["lifecycle", "chat", "transcripts"],
  ["sync"],
  ["http"],
];

const root = join(dirname(new URL(import.meta.url).pathname), "../..");
const SCANNED = ["shared", "functions", "supabase/local"];

function tsFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

// Static imports, re-exports and dynamic imports with a literal relative specifier.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;

/** Every relative import of every scanned file, as repository paths. */
const imports = SCANNED.flatMap(tsFiles).flatMap((file) =>
  [...readFileSync(join(root, file), "utf8").matchAll(IMPORT)].map((match) => ({
    file,
    target: normalize(join(dirname(file), match[1])),
  }))
);

/** The shared/ folder a path belongs to (`shared/chat/x.ts` -> `chat`), or null outside shared/. */
function sharedFolder(path: string): string | null {
  const rest = relative("shared", path);
  if (rest.startsWith("..")) return null;
  return rest.split("/")[0].replace(/\.ts$/, "");
}

function layerOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

describe("layering", () => {
  it("scans the code it guards", () => {
    expect(imports.length).toBeGreaterThan(100);
  });

  it("knows every shared/ folder's layer", () => {
    const folders = new Set(tsFiles("shared").map((file) => sharedFolder(file)!));
    for (const folder of folders) expect(layerOf(folder), `shared/${folder} has no layer`).toBeGreaterThanOrEqual(0);
  });

  it("production and local-stack code never imports tests/", () => {
    const offending = imports.filter(({ target }) => target === "tests" || target.startsWith("tests/"));
    expect(offending.map(({ file, target }) => `${file} -> ${target}`)).toEqual([]);
  });

  it("no shared/ folder imports a layer above its own", () => {
    const offending = imports.filter(({ file, target }) => {
      const from = sharedFolder(file);
      const to = sharedFolder(target);
      return from !== null && to !== null && layerOf(to) > layerOf(from);
    });
    expect(offending.map(({ file, target }) => `${file} -> ${target}`)).toEqual([]);
  });

  it("no provider module knows the database", () => {
    // A provider speaks to its API only; what we store about models (the catalogue) lives in db.
    const offending = imports.filter(({ file, target }) => sharedFolder(file) === "providers" && sharedFolder(target) === "db");
    expect(offending.map(({ file, target }) => `${file} -> ${target}`)).toEqual([]);
  });

  it("only functions/ use the request pipeline", () => {
    const offending = imports.filter(({ file, target }) =>
      sharedFolder(target) === "http" && sharedFolder(file) !== "http" && !file.startsWith("functions/")
    );
    expect(offending.map(({ file, target }) => `${file} -> ${target}`)).toEqual([]);
  });

  it("has no import cycle between shared/ folders", () => {
    const edges = new Map<string, Set<string>>();
    for (const { file, target } of imports) {
      const from = sharedFolder(file);
      const to = sharedFolder(target);
      if (from === null || to === null || from === to) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (folder: string, path: string[]) => {
      if (state.get(folder) === "done") return;
      if (state.get(folder) === "open") {
        cycles.push([...path.slice(path.indexOf(folder)), folder].join(" -> "));
        return;
      }
      state.set(folder, "open");
      for (const next of edges.get(folder) ?? []) visit(next, [...path, folder]);
      state.set(folder, "done");
    };
    for (const folder of edges.keys()) visit(folder, []);
    expect(cycles).toEqual([]);
  });
});
