import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { sampleBookEpub } from "../fixtures/sample-book.ts";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot } from "./support/browser.ts";
import { closeModelMenu, openModelMenu } from "./support/model-menu.ts";
import { createQuickCharacter, signUp, useServedApp } from "./support/served-app.ts";

// Reading with a persona in the reader app's production build: upload the book's EPUB from the
// model's screen, read chapter by chapter with the chat beside (or below) the text, the place saved
// as the reader moves on, and citations that open their passage; at a phone and a desktop viewport.

const app = useServedApp();

const BOOK_FORM = { about: "The young lantern keeper of a windswept harbour.", bookTitle: "The Lantern Keeper", bookAuthor: "Ada Test", aboutBook: "On a windswept island, a young keeper tends the lantern that guides ships home." };

describe.each([PHONE, DESKTOP])("reading with a persona on a $name", (viewport) => {
  it("uploads the book, saves the place chapter by chapter, and opens a reply's citation in the text", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      const name = `Mara ${suffix}`;
      await signUp(page, app.url, `reading-${suffix}@example.test`);
      await createQuickCharacter(page, app.url, name, BOOK_FORM);

      // The owner adds the book's text on the model's screen, as an EPUB file.
      await openModelMenu(page, viewport);
      await page.getByText("Book text", { exact: true }).click();
      await page.getByLabel("Book file").setInputFiles({
        name: "the-lantern-keeper.epub",
        mimeType: "application/epub+zip",
        buffer: Buffer.from(sampleBookEpub()),
      });
      await page.getByRole("button", { name: "Upload" }).click();
      // The panel folds away again, saying what it stored.
      await expect.poll(() => page.getByText("Book text · 12 chapters uploaded").isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await page.getByRole("status", { includeHidden: true }).filter({ hasText: "Uploaded" }).textContent())
        .toBe("Uploaded: 12 chapters, 24 passages.");
      await expectAccessible(page, "book-upload");
      await screenshot(page, viewport, "book-upload");

      await closeModelMenu(page, viewport);
      await page.getByRole("link", { name: "Read along" }).click();
      const chapterHeading = page.getByRole("heading", { level: 2, name: /^Chapter \d+:/ });
      await expect.poll(() => chapterHeading.textContent()).toBe("Chapter 1: The Harbour at Dusk");
      await expect.poll(() => page.getByText(/^Your place: chapter 1/).isVisible()).toBe(true);

      // Moving on saves the place: next chapter, twice.
      for (const title of ["Chapter 2: A Letter from the Mainland", "Chapter 3: The Storm Warning"]) {
        await page.getByRole("button", { name: "Next chapter" }).click();
        await expect.poll(() => chapterHeading.textContent()).toBe(title);
      }
      await expect.poll(() => page.getByText(/^Your place: chapter 3/).textContent(), { timeout: 10_000 }).not.toMatch(/saving/);
      await expectAccessible(page, "reader");
      await screenshot(page, viewport, "reader");

      // Back to chapter 1 to re-read: the place stays at chapter 3.
      await page.getByRole("combobox", { name: "Chapter" }).selectOption({ label: "1. Chapter 1: The Harbour at Dusk" });
      await expect.poll(() => chapterHeading.textContent()).toBe("Chapter 1: The Harbour at Dusk");
      expect(await page.getByText(/^Your place: chapter 3/).isVisible()).toBe(true);

      // A question: the reply cites passages up to chapter 3 only, and a citation opens its passage.
      await page.getByLabel(`Message ${name}`).fill("What did the barometer say before the storm?");
      await page.getByRole("button", { name: "Send" }).click();
      const sources = page.getByText(/^From the book \(\d+\)$/);
      await expect.poll(() => sources.count(), { timeout: 30_000 }).toBe(1);
      await sources.click();
      const citations = page.getByRole("button", { name: /^Chapter \d+ / });
      const cited = (await citations.allTextContents()).map((text) => Number(/^Chapter (\d+)/.exec(text)![1]));
      expect(cited.length).toBeGreaterThan(0);
      expect(Math.max(...cited)).toBeLessThanOrEqual(3);
      expect(cited[0]).toBe(3);
      await expectAccessible(page, "reader-citations");
      await citations.first().click();
      await expect.poll(() => chapterHeading.textContent()).toBe("Chapter 3: The Storm Warning");
      await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? "")).toMatch(/^passage-\d+$/);
      expect(await page.evaluate(() => document.activeElement?.textContent ?? "")).toContain("barometer");
      await screenshot(page, viewport, "reader-citation");

      // The reply is read aloud in the persona's voice and rated like a one-to-one reply; the rating stays on reload.
      const modelId = /#\/read\/([0-9a-f-]{36})/.exec(page.url())![1];
      const log = page.getByRole("log", { name: "Messages" });
      const spoken = page.waitForResponse((response) => response.url().includes("/fine-tune-speech/") && response.request().method() === "POST");
      await log.getByRole("button", { name: "Play reply" }).click();
      const speech = await spoken;
      expect(speech.url()).toContain(`/fine-tune-speech/${modelId}`);
      expect(speech.status()).toBe(200);
      const good = log.getByRole("button", { name: "Good reply" });
      await good.click();
      await expect.poll(() => good.getAttribute("aria-pressed")).toBe("true");
      await expect.poll(() => log.getByRole("button", { name: /^Loading/ }).count(), { timeout: 10_000 }).toBe(0);
      await screenshot(page, viewport, "reader-reply-tools");
      await page.reload();
      await expect.poll(() => good.getAttribute("aria-pressed"), { timeout: 15_000 }).toBe("true");
      expect(await log.getByRole("button", { name: "Bad reply" }).getAttribute("aria-pressed")).toBe("false");
    } finally {
      await reader.close();
    }
  }, 180_000);
});
