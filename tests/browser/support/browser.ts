import AxeBuilder from "@axe-core/playwright";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
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

/**
 * A fresh headless Chromium (Debian's; its own profile) at a viewport: one signed-out reader.
 */
export async function openBrowser(viewport: Viewport): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "storyvoice-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: viewport.width, height: viewport.height },
    deviceScaleFactor: viewport.touch ? 2 : 1,
    isMobile: viewport.touch,
    hasTouch: viewport.touch,
    reducedMotion: "reduce",
  });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Fails on any axe-core violation of serious or critical impact on the current screen. */
export async function expectAccessible(page: Page, screen: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  expect(serious, `axe on ${screen}`).toEqual([]);
}

/** Writes the screen's screenshot for people to look at. */
export async function screenshot(page: Page, viewport: Viewport, screen: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${viewport.name}-${screen}.png`), fullPage: false });
}
