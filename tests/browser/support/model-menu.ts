import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { Viewport } from "./browser.ts";

/** On a phone a chat's model tools are behind the "Model menu" button; on a desktop they are beside the chat. */
export async function openModelMenu(page: Page, viewport: Viewport) {
  if (!viewport.touch) return;
  await page.getByRole("button", { name: "Model menu" }).click();
  await expect.poll(() => page.getByRole("dialog").count()).toBe(1);
}

/** Puts the phone's model menu away (Escape), so the chat under it takes taps again. */
export async function closeModelMenu(page: Page, viewport: Viewport) {
  if (!viewport.touch) return;
  await page.keyboard.press("Escape");
  await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
}
