import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENV_NAMES } from "../../shared/env.ts";

// The README is the front door: every setting the functions read must be documented there.
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README", () => {
  it.each(ENV_NAMES)("documents %s", (name) => {
    expect(readme).toContain(`\`${name}\``);
  });

  it("names the two commands", () => {
    expect(readme).toContain("npm run dev");
    expect(readme).toContain("npm test");
  });
});
