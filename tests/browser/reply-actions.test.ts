import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot } from "./support/browser.ts";
import { createQuickCharacter, signUp, useServedApp } from "./support/served-app.ts";

// Reply actions in the reader app's production build, at a phone and a desktop viewport:
// regenerate with a hint, move between the replies, edit the last message, rewind.

const app = useServedApp();

/** Sends a message and waits until its reply is stored (its actions show). */
async function send(page: Page, name: string, text: string, replies: number) {
  await page.getByLabel(`Message ${name}`).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
  await expect.poll(() => page.getByRole("button", { name: "Rewind to here" }).count(), { timeout: 20_000 }).toBe(replies);
}

describe.each([PHONE, DESKTOP])("reply actions on a $name", (viewport) => {
  it("regenerates with a hint, moves between replies, edits the last message and rewinds", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      const name = `Anne Elliot ${suffix}`;
      await signUp(page, app.url, `replies-${suffix}@example.test`);
      await createQuickCharacter(page, app.url, name);
      const log = page.getByRole("log", { name: "Messages" });
      await send(page, name, "Do you regret Captain Wentworth?", 1);
      // The last reply's bubble reads "<name>: <reply>".
      const lastReply = () => log.getByText(new RegExp(`^${name}: \\S`)).last().textContent();
      const firstReply = await lastReply();

      await page.getByRole("button", { name: "Hint…" }).click();
      await page.getByLabel("Hint for the new reply").fill("Answer as if angry.");
      await page.getByRole("button", { name: "Regenerate with hint" }).click();
      await expect.poll(() => page.getByLabel("Reply 2 of 2").count(), { timeout: 20_000 }).toBe(1);
      await page.getByRole("button", { name: "Previous reply" }).click();
      await expect.poll(() => page.getByLabel("Reply 1 of 2").count()).toBe(1);
      expect(await lastReply()).toBe(firstReply);

      await page.getByRole("button", { name: "Edit", exact: true }).click();
      await expectAccessible(page, "reply-edit");
      await page.getByLabel("Edit your message").fill("Do you still love Captain Wentworth?");
      await page.getByRole("button", { name: "Send edit" }).click();
      await expect.poll(() => page.getByLabel("Reply 3 of 3").count(), { timeout: 20_000 }).toBe(1);
      await expect.poll(async () => (await log.textContent()) ?? "").toContain("Do you still love Captain Wentworth?");
      expect(await log.textContent()).not.toContain("Do you regret Captain Wentworth?");
      await send(page, name, "What of Lady Russell?", 2);
      await page.getByRole("button", { name: "Rewind to here" }).last().click();
      await screenshot(page, viewport, "reply-rewind-confirm");
      await page.getByRole("button", { name: "Yes, rewind" }).click();
      await expect.poll(() => page.getByRole("button", { name: "Rewind to here" }).count()).toBe(1);
      expect(await log.textContent()).not.toContain("What of Lady Russell?");
      // The first exchange is the last again: its replies are still there to move between.
      await expect.poll(() => page.getByLabel("Reply 3 of 3").count()).toBe(1);
      // Reloaded, the conversation shows the chosen reply and what is left.
      await page.reload();
      if (viewport.touch) await page.getByRole("button", { name: "History" }).click();
      const history = page.getByRole("navigation", { name: "Conversations" });
      await history.getByRole("button", { name: /^Do you still love Captain Wentworth\?/ }).click();
      await expect.poll(() => page.getByLabel("Reply 3 of 3").count()).toBe(1);
      expect(await log.textContent()).not.toContain("What of Lady Russell?");
    } finally {
      await reader.close();
    }
  }, 180_000);
});
