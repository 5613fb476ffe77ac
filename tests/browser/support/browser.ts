import axe from "axe-core";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { chromiumPath } from "../../setup/prerequisites.ts";

/** Where each run writes its screenshots (git-ignored). */
export const SCREENSHOT_DIR = new URL("../../../test-results/screenshots/", import.meta.url).pathname;

export interface Viewport {
  name: "phone" | "desktop";
  width: number;
  height: number;
  touch: boolean;
}

export const PHONE: Viewport = { name: "phone", width: 390, height: 844, touch: true };
export const DESKTOP: Viewport = { name: "desktop", width: 1280, height: 800, touch: false };

const CHROMIUM_ARGS = [
  ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function contextOptions(viewport: Viewport) {
  return {
    viewport: { width: viewport.width, height: viewport.height },
    deviceScaleFactor: viewport.touch ? 2 : 1,
    isMobile: viewport.touch,
    hasTouch: viewport.touch,
    reducedMotion: "reduce" as const,
  };
}

// One headless Chromium (Debian's) per suite file, each reader in a fresh context of it: a context
// shares nothing with another (cookies, storage, service workers), and starting a browser costs
// several times what a context does.
let sharedBrowser: Promise<Browser> | undefined;

/** Closes the suite file's Chromium, if it started one (tests/setup/stack-file-state.ts, after each file). */
export async function closeSharedBrowser() {
  const browser = sharedBrowser;
  sharedBrowser = undefined;
  await (await browser)?.close();
}

/**
 * One signed-out reader at a viewport. `installable` gives them a browser of their own with an
 * on-disk profile: Chromium never offers to install an app from an incognito-like context.
 */
export async function openBrowser(
  viewport: Viewport,
  { installable = false } = {},
): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  let context: BrowserContext;
  let cleanUp = () => {};
  if (installable) {
    const profile = mkdtempSync(join(tmpdir(), "storyvoice-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, ...contextOptions(viewport) });
    cleanUp = () => rmSync(profile, { recursive: true, force: true });
  } else {
    sharedBrowser ??= chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
    context = await (await sharedBrowser).newContext(contextOptions(viewport));
  }
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context,
    page,
    close: async () => {
      await context.close();
      cleanUp();
    },
  };
}

/** Fails on any axe-core violation of serious or critical impact on the current screen. */
export async function expectAccessible(page: Page, screen: string) {
  // axe-core's source (1.4 MB) goes into each document once, not before every check; the check asks
  // for violations only, as passes are thousands of nodes to serialise that nothing reads.
  if (!await page.evaluate(() => "axe" in window)) await page.evaluate(axe.source);
  const serious = await page.evaluate(async () => {
    const { violations } = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] });
    return violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  });
  expect(serious, `axe on ${screen}`).toEqual([]);
}

/** Writes the screen's screenshot for people to look at. */
export async function screenshot(page: Page, viewport: Viewport, screen: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${viewport.name}-${screen}.png`), fullPage: false });
}
