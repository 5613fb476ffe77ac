import type { Page, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot } from "./support/browser.ts";
import { expectDrawerCloses } from "./support/drawer.ts";
import { createQuickCharacter, signUp, useServedApp } from "./support/served-app.ts";

// Living in the reader app: the conversation gets the phone's screen (owner tools behind one menu),
// the history drawer closes every expected way, every conversation has an address that survives a
// reload, unknown addresses say so, and AI Models keeps its filters in its address.

const app = useServedApp();

const CONVERSATION = /#\/models\/([0-9a-f-]{36})\/c\/([0-9a-f-]{36})$/;

async function ask(page: Page, name: string, question: string, replies: number) {
  await page.getByLabel(`Message ${name}`).fill(question);
  await page.getByRole("button", { name: "Send" }).click();
  await expect.poll(() => page.getByText("⚠️ Using general AI").count(), { timeout: 20_000 }).toBe(replies);
}

describe.each([PHONE, DESKTOP])("the app as lived in on a $name", (viewport) => {
  it("gives the chat the screen, keeps each conversation's address, and AI Models its filters", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      const name = `Tobias Featherstonehaugh ${suffix}`;
      await signUp(page, app.url, `layout-${suffix}@example.test`);
      await createQuickCharacter(page, app.url, name);
      const log = page.getByRole("log", { name: "Messages" });
      const menuButton = page.getByRole("button", { name: "Model menu" });

      // 1. The owner's tools: behind one menu on a phone (a sheet that Escape closes), beside the chat on a desktop.
      const share = page.getByRole("switch", { name: "Public" });
      if (viewport.touch) {
        expect(await share.count()).toBe(0);
        await screenshot(page, viewport, "layout-chat-owner");
        const area = await log.boundingBox();
        expect(area!.height / viewport.height).toBeGreaterThanOrEqual(0.6);
        // The name is not cut: the header's title shows all of it (wrapped, neither clipped nor clamped).
        const title = page.getByRole("heading", { name, level: 1 });
        const hidden = await title.evaluate((element) => [element.scrollWidth - element.clientWidth, element.scrollHeight - element.clientHeight]);
        expect(Math.max(...hidden), "pixels of the name cut off").toBeLessThanOrEqual(2);
        await menuButton.click();
        const sheet = page.getByRole("dialog", { name: `${name}: model menu` });
        await expect.poll(() => sheet.getByRole("switch", { name: "Public" }).isVisible()).toBe(true);
        expect(await sheet.getByRole("link", { name: "Training examples" }).isVisible()).toBe(true);
        await expectAccessible(page, "model-menu");
        await screenshot(page, viewport, "layout-model-menu");
        await page.keyboard.press("Escape");
        await expect.poll(() => sheet.count()).toBe(0);
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Model menu");
      } else {
        expect(await menuButton.isVisible()).toBe(false);
        expect(await share.isVisible()).toBe(true);
      }

      // 3. A conversation's address: it gets one with its first reply, and a reload comes back to it.
      await ask(page, name, "Where did you grow up?", 1);
      await expect.poll(() => page.url()).toMatch(CONVERSATION);
      const [, modelId, firstId] = page.url().match(CONVERSATION)!;
      // Sent at once after a reload, while the addressed conversation is still loading (held back
      // here): the message waits for it and joins it, rather than start another that the load replaces.
      const slowList = (route: Route) => new Promise((resolve) => setTimeout(resolve, 1_500)).then(() => route.continue());
      await page.route("**/fine-tune-conversations/**", slowList);
      await page.reload();
      await ask(page, name, "And after that?", 2);
      await page.unroute("**/fine-tune-conversations/**", slowList);
      await expect.poll(async () => (await log.textContent()) ?? "", { timeout: 20_000 }).toContain("Where did you grow up?");
      expect(page.url().match(CONVERSATION)?.[2]).toBe(firstId);
      await screenshot(page, viewport, "layout-chat-reloaded");

      // A second conversation, then the history: every way to close it (on a phone), search, rename.
      const history = page.getByRole("navigation", { name: "Conversations" });
      const toggle = page.getByRole("button", { name: "History" });
      if (viewport.touch) await toggle.click();
      await history.getByRole("button", { name: "New conversation" }).click();
      await expect.poll(() => page.url()).toBe(`${app.url}#/models/${modelId}`);
      await ask(page, name, "Who taught you to ride?", 1);
      await expect.poll(() => page.url()).toMatch(CONVERSATION);
      expect(page.url()).not.toContain(firstId);
      if (viewport.touch) {
        // Close, Escape, a tap outside, and Back, which stays in the chat at its address.
        await expectDrawerCloses(page, viewport, history);
        expect(await page.getByRole("heading", { name, level: 1 }).isVisible()).toBe(true);
        expect(page.url()).toMatch(CONVERSATION);
        await toggle.click();
      }
      const search = history.getByRole("searchbox", { name: "Search conversations" });
      await search.fill("grow");
      await expect.poll(() => history.getByRole("listitem").count()).toBe(1);
      // Renamed, it is listed and found by its name (a name only this reader sees).
      const found = history.getByRole("listitem").filter({ hasText: "Where did you grow up?" });
      await found.getByRole("button", { name: "Rename" }).click();
      await found.getByLabel("Name of the conversation").fill("Childhood at Lambton");
      await found.getByRole("button", { name: "Save" }).click();
      await search.fill("lambton");
      await expect.poll(() => history.getByRole("button", { name: /^Childhood at Lambton/ }).count()).toBe(1);
      expect(await history.getByRole("listitem").count()).toBe(1);
      await expectAccessible(page, "history-search");
      await screenshot(page, viewport, "layout-history");
      await history.getByRole("button", { name: /^Childhood at Lambton/ }).click();
      await expect.poll(() => page.url()).toContain(`/c/${firstId}`);
      await expect.poll(async () => (await log.textContent()) ?? "").toContain("Where did you grow up?");

      // Read along carries the conversation, and a reload of it keeps it.
      await page.getByRole("link", { name: "Read along" }).click();
      await expect.poll(() => page.url()).toBe(`${app.url}#/read/${modelId}/c/${firstId}`);
      await page.reload();
      await expect.poll(async () => (await log.textContent()) ?? "", { timeout: 20_000 }).toContain("Where did you grow up?");

      // An old chat link and an unknown address say what happened.
      await page.goto(`${app.url}#/chat/${modelId}`);
      await expect.poll(() => page.getByRole("heading", { name: "This chat link has moved" }).isVisible()).toBe(true);
      await page.getByRole("link", { name: "Open the chat" }).click();
      await expect.poll(() => page.getByRole("heading", { name, level: 1 }).isVisible()).toBe(true);
      await page.goto(`${app.url}#/no-such-page`);
      await expect.poll(() => page.getByRole("heading", { name: "Nothing at this address" }).isVisible()).toBe(true);

      // 9. AI Models: a book and "Only mine" chosen, into a chat and Back: still chosen.
      await page.goto(`${app.url}#/`);
      await page.getByLabel("Book").selectOption({ label: "Pride and Prejudice" });
      await page.getByRole("switch", { name: "Only mine" }).check();
      const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name, exact: true }) });
      await expect.poll(() => card.textContent()).toContain("3 messages sent");
      await screenshot(page, viewport, "layout-models");
      await page.getByRole("link", { name, exact: true }).click();
      await expect.poll(() => page.getByRole("heading", { name, level: 1 }).isVisible()).toBe(true);
      await page.goBack();
      await expect.poll(() => page.getByLabel("Book").inputValue()).toBe("pride-and-prejudice");
      expect(await page.getByRole("switch", { name: "Only mine" }).isChecked()).toBe(true);
      expect(page.url()).toContain("mine=1");
      await expectAccessible(page, "models-filtered");
    } finally {
      await reader.close();
    }
  }, 180_000);
});
