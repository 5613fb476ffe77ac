import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ENV_NAMES } from "../../shared/env.ts";

// The README is the front door and stays short; docs/configuration.md documents every setting.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const readme = read("README.md");
const configuration = read("docs/configuration.md");

/** The names a Markdown list item documents: "- `A` / `B` (default): meaning". */
function documentedNames(markdown: string): string[] {
  return [...markdown.matchAll(/^- ((?:`[A-Z][A-Z0-9_]*`(?:,? (?:\/ )?)?)+)/gm)]
    .flatMap((match) => [...match[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((name) => name[1]));
}

/** The text of one `## ` section, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no "## ${heading}" section`);
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return name === "node_modules" ? [] : filesUnder(path, keep);
    return keep(path) ? [path] : [];
  });
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

function anchorsIn(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, "");
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1])));
}

describe("README", () => {
  it("is at most 15,000 bytes", () => {
    expect(Buffer.byteLength(readme, "utf8")).toBeLessThanOrEqual(15_000);
  });

  it("names the two commands", () => {
    expect(readme).toContain("npm run dev");
    expect(readme).toContain("npm test");
  });

  it("links every endpoint's folder to openapi.json", () => {
    const functions = readdirSync(join(root, "functions")).filter((name) =>
      existsSync(join(root, "functions", name, "index.ts"))
    );
    const endpoints = section(readme, "Endpoints");
    for (const name of functions) expect(endpoints, name).toMatch(new RegExp(`/${name}\\b`));
    expect(endpoints).toContain("(openapi.json");
  });
});

describe("docs/configuration.md", () => {
  const functionSettings = documentedNames(section(configuration, "Functions"));

  it.each(ENV_NAMES)("documents %s among the functions' settings", (name) => {
    expect(functionSettings).toContain(name);
  });

  it("documents among the functions' settings only what shared/env.ts reads", () => {
    expect(functionSettings.filter((name) => !(ENV_NAMES as string[]).includes(name))).toEqual([]);
  });

  it("documents elsewhere only settings some code reads", () => {
    const source = ["shared", "supabase/local", "app", "tests/setup", "tests/support", "tests/bench"]
      .flatMap((dir) => filesUnder(dir, (path) => /\.(ts|tsx)$/.test(path)))
      .map(read).join("\n");
    const elsewhere = documentedNames(configuration).filter((name) => !functionSettings.includes(name));
    expect(elsewhere.length).toBeGreaterThan(0);
    expect(elsewhere.filter((name) => !source.includes(name))).toEqual([]);
  });
});

describe("links", () => {
  const pages = ["README.md", "app/README.md", "sdk/README.md", ...filesUnder("docs", (path) => path.endsWith(".md"))];

  it.each(pages)("every relative link in %s resolves", (page) => {
    const markdown = read(page).replace(/^```[\s\S]*?^```/gm, "");
    const targets = [
      ...[...markdown.matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)].map((match) => match[1]),
      ...[...markdown.matchAll(/\bsrc="([^"]+)"/g)].map((match) => match[1]),
    ].filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
    const broken = targets.filter((target) => {
      const [path, anchor] = target.split("#");
      const file = path === "" ? join(root, page) : resolve(join(root, dirname(page)), path);
      if (!existsSync(file)) return true;
      if (!anchor || !file.endsWith(".md") || !/^[a-z0-9-]+$/.test(anchor)) return false;
      return !anchorsIn(readFileSync(file, "utf8")).has(anchor);
    });
    expect(broken, relative(root, join(root, page))).toEqual([]);
  });
});
