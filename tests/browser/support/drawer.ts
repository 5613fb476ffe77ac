import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import type { Viewport } from "./browser.ts";

/**
 * On a phone, a chat's history drawer closes the four ways people expect: its Close button,
 * Escape, a tap outside it, and Back (which stays on the screen's address). Leaves it closed.
 */
export async function expectDrawerCloses(page: Page, viewport: Viewport, drawer: Locator) {
  const toggle = page.getByRole("button", { name: "History" });
  const isOpen = async () => (await toggle.getAttribute("aria-expanded")) === "true" && await drawer.isVisible();
  const address = page.url();
  await toggle.click();
  await expect.poll(isOpen).toBe(true);
  await drawer.getByRole("button", { name: "Close" }).click();
  await expect.poll(isOpen).toBe(false);
  await toggle.click();
  await expect.poll(isOpen).toBe(true);
  await page.keyboard.press("Escape");
  await expect.poll(isOpen).toBe(false);
  await toggle.click();
  await expect.poll(isOpen).toBe(true);
  await page.mouse.click(viewport.width - 10, viewport.height / 2);
  await expect.poll(isOpen).toBe(false);
  await toggle.click();
  await expect.poll(isOpen).toBe(true);
  await page.goBack();
  await expect.poll(isOpen).toBe(false);
  expect(page.url()).toBe(address);
}
