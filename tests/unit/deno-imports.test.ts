import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Deno (the functions, here and on Supabase) resolves packages through deno.json's import map;
// Node (the tests) through package.json. Both must name the same versions.
const root = new URL("../../", import.meta.url);
const denoJson = JSON.parse(readFileSync(new URL("deno.json", root), "utf8"));
const packageJson = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const pinned: Record<string, string> = { ...packageJson.dependencies, ...packageJson.devDependencies };

describe("deno.json import map", () => {
  it("pins every npm package at the version package.json installs", () => {
    const entries = Object.entries(denoJson.imports as Record<string, string>);
    expect(entries.length).toBeGreaterThan(0);
    for (const [specifier, target] of entries) {
      const match = target.match(/^npm:\/?(@?[^@]+)@([^/]+)/);
      expect(match, `${specifier} -> ${target}`).not.toBeNull();
      const [, name, version] = match!;
      expect(pinned[name], `${name} is not in package.json`).toBe(version);
    }
  });
});
