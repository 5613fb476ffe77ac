import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Deno resolves packages through an import map: deno.json for the functions (here and on Supabase:
// it is also the deploy map), supabase/local/deno.json for the local stack. Node (the tests)
// resolves them through package.json. All must name the same versions.
const root = new URL("../../", import.meta.url);
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, root), "utf8"));
const packageJson = readJson("package.json");
const pinned: Record<string, string> = { ...packageJson.dependencies, ...packageJson.devDependencies };
const maps = {
  "deno.json": readJson("deno.json").imports as Record<string, string>,
  "supabase/local/deno.json": readJson("supabase/local/deno.json").imports as Record<string, string>,
};

function packageOf(target: string): { name: string; version: string } | null {
  const match = target.match(/^npm:\/?(@?[^@]+)@([^/]+)/);
  return match ? { name: match[1], version: match[2] } : null;
}

describe.each(Object.entries(maps))("%s import map", (_file, imports) => {
  it("pins every npm package at the version package.json installs", () => {
    const entries = Object.entries(imports);
    expect(entries.length).toBeGreaterThan(0);
    for (const [specifier, target] of entries) {
      const pkg = packageOf(target);
      expect(pkg, `${specifier} -> ${target}`).not.toBeNull();
      expect(pinned[pkg!.name], `${pkg!.name} is not in package.json`).toBe(pkg!.version);
    }
  });
});

describe("the deploy and local import maps", () => {
  it("deploy only production packages", () => {
    for (const target of Object.values(maps["deno.json"])) {
      const { name } = packageOf(target)!;
      expect(packageJson.dependencies, `${name} is not a production dependency`).toHaveProperty([name]);
    }
  });

  it("give the local stack every production entry unchanged", () => {
    for (const [specifier, target] of Object.entries(maps["deno.json"])) {
      expect(maps["supabase/local/deno.json"][specifier], specifier).toBe(target);
    }
  });
});
