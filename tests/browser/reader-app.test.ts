import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { insertModel } from "../support/models.ts";
import { createUser } from "../support/stack.ts";
import { initialJavaScriptGzipBytes } from "./support/app-build.ts";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot, type Viewport } from "./support/browser.ts";
import { closeModelMenu, openModelMenu } from "./support/model-menu.ts";
import { signUp, useServedApp } from "./support/served-app.ts";
import { runTrainingSyncFor } from "./support/training-sync.ts";

// The reader app's production build, served statically, in Debian's Chromium, against the test
// stack (simulated training jobs take 3 s): what a reader does, at a phone and a desktop viewport.
const INITIAL_JS_LIMIT_BYTES = 150 * 1024;

const app = useServedApp();


/** On a phone the conversation list is behind a toggle; on a desktop it is always beside the chat. */
async function showHistory(page: Page, viewport: Viewport) {
  if (viewport.touch) await page.getByRole("button", { name: "History" }).click();
}

describe("the production build", () => {
  it("loads at most 150 KB of JavaScript, gzipped, for its first screen", () => {
    const { bytes, files } = initialJavaScriptGzipBytes(app.outDir);
    console.info(`initial JavaScript: ${(bytes / 1024).toFixed(1)} KB gzipped (${files.join(", ")})`);
    expect(files.length).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(INITIAL_JS_LIMIT_BYTES);
  });
});

describe.each([PHONE, DESKTOP])("a reader on a $name", (viewport) => {
  it("signs up, creates a quick model, chats while it trains and after, shares it and deletes it", async () => {
    const owner = await openBrowser(viewport);
    const other = await openBrowser(viewport);
    try {
      const { page } = owner;
      const suffix = crypto.randomUUID().slice(0, 6);
      const name = `Mr Darcy ${suffix}`;

      // Someone else's public persona with a name far wider than a phone.
      const author = await createUser("long-name-author");
      await insertModel(author.id, {
        is_public: true,
        name: "Long name",
        entity_name: `Fitzwilliam Darcy of Pemberley in Derbyshire, master of ten thousand a year ${suffix}`,
      });

      // Sign-in screen, then a new account.
      await page.goto(app.url);
      await expect.poll(() => page.getByRole("heading", { name: "Sign in" }).isVisible()).toBe(true);
      await expectAccessible(page, "sign-in");
      await screenshot(page, viewport, "sign-in");
      const email = `reader-${suffix}@example.test`;
      await signUp(page, app.url, email);
      await expect.poll(() => page.getByRole("link", { name: "Mary Shelley", exact: true }).isVisible()).toBe(true);
      await expectAccessible(page, "models");
      // Nothing pushes the page wider than the screen (long titles wrap).
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      // ... and no name runs out of its card (the long one above ends in "…").
      const namesOutsideCards = await page.evaluate(() =>
        [...document.querySelectorAll(".model-card")].filter((card) =>
          card.querySelector("h3")!.getBoundingClientRect().right > card.getBoundingClientRect().right
        ).length
      );
      expect(namesOutsideCards).toBe(0);
      // Scrolled to the end, the floating "+" covers no part of the footer link.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const footerLink = await page.getByRole("link", { name: "See the quick fine-tune button" }).boundingBox();
      const fab = await page.getByRole("link", { name: "Create an AI model" }).boundingBox();
      expect(footerLink && fab).toBeTruthy();
      const overlaps = footerLink!.x < fab!.x + fab!.width && fab!.x < footerLink!.x + footerLink!.width &&
        footerLink!.y < fab!.y + fab!.height && fab!.y < footerLink!.y + footerLink!.height;
      expect(overlaps).toBe(false);

      // Create: the API's validation shows on the fields, then a quick character.
      // By keyboard: on the phone viewport Playwright's pointer hit test sometimes reports <main> over
      // the floating button (not reproduced by elementFromPoint, which finds the button); a keyboard
      // user's Enter opens the same screen.
      await page.getByRole("link", { name: "Create an AI model" }).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("button", { name: "Create quick AI" }).click();
      await expect.poll(() => page.getByText("Please check the highlighted fields.").isVisible()).toBe(true);
      await expect.poll(() => page.getByLabel("Character's name").getAttribute("aria-invalid")).toBe("true");
      await expectAccessible(page, "create-errors");
      await page.getByLabel("Character's name").fill(name);
      await page.getByLabel("About the character").fill("Proud, reserved and honest to a fault; master of Pemberley.");
      await page.getByLabel("Book title").fill("Pride and Prejudice");
      await page.getByLabel("Book author").fill("Jane Austen");
      await page.getByLabel("About the book").fill("Elizabeth Bennet and Mr Darcy overcome pride and prejudice.");
      await screenshot(page, viewport, "create");
      await page.getByRole("button", { name: "Create quick AI" }).click();

      // The chat opens with the training banner: not trained yet.
      await expect.poll(() => page.getByRole("heading", { name, level: 1 }).isVisible()).toBe(true);
      const banner = page.getByRole("status", { name: "Training status" });
      await expect.poll(() => banner.textContent()).toMatch(/Getting ready|Training/);

      // ... and pending in the list.
      await page.getByRole("link", { name: "Back to AI Models" }).click();
      const link = page.getByRole("link", { name, exact: true });
      const card = page.getByRole("listitem").filter({ has: link });
      await expect.poll(() => card.textContent()).toMatch(/Preparing|Training/);
      await screenshot(page, viewport, "models");
      await link.click();

      // A new conversation offers starter prompts; the reply streams in, marked as the fallback.
      await expect.poll(() => page.getByText(`Start a conversation with ${name}`).isVisible()).toBe(true);
      await expectAccessible(page, "chat-new");
      await screenshot(page, viewport, "chat-new");
      const log = page.getByRole("log", { name: "Messages" });
      await log.evaluate((element) => {
        (window as unknown as { textChanges: number }).textChanges = 0;
        new MutationObserver(() => (window as unknown as { textChanges: number }).textChanges++)
          .observe(element, { subtree: true, characterData: true, childList: true });
      });
      await page.getByLabel(`Message ${name}`).fill("What do you think of Elizabeth?");
      await page.getByRole("button", { name: "Send" }).click();
      await expect.poll(() => page.getByText("⚠️ Using general AI").count(), { timeout: 20_000 }).toBe(1);
      const changes = await page.evaluate(() => (window as unknown as { textChanges: number }).textChanges);
      expect(changes, "the reply was written in several steps").toBeGreaterThan(2);
      await expect.poll(async () => (await log.textContent()) ?? "").toContain(`${name}: `);
      await expectAccessible(page, "chat-fallback");
      await screenshot(page, viewport, "chat-fallback");

      // Training completes while the reader stays: the banner says so and the marker goes.
      await expect.poll(async () => {
        await runTrainingSyncFor(email);
        return await banner.textContent();
      }, { timeout: 60_000, interval: 1_000 }).toMatch(/^Trained/);
      await page.getByLabel(`Message ${name}`).fill("And of Pemberley?");
      await page.getByRole("button", { name: "Send" }).click();
      await expect.poll(() => page.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
      await expect.poll(() => page.getByLabel(`Message ${name}`).inputValue()).toBe("");
      await expect.poll(async () => (await log.textContent()) ?? "").toContain("And of Pemberley?");
      await expect.poll(() => log.locator("[aria-busy]").count(), { timeout: 20_000 }).toBe(0);
      expect(await page.getByText("⚠️ Using general AI").count()).toBe(1);
      await screenshot(page, viewport, "chat-trained");

      // The conversation is listed; a new one starts empty; the old one reopens.
      await showHistory(page, viewport);
      await page.getByRole("button", { name: "New conversation" }).click();
      await expect.poll(() => page.getByText(`Start a conversation with ${name}`).isVisible()).toBe(true);
      await showHistory(page, viewport);
      const earlier = page.getByRole("navigation", { name: "Conversations" }).getByRole("button", { name: /What do you think of Elizabeth\?/ });
      await expect.poll(() => earlier.textContent()).toContain("2 messages");
      await expectAccessible(page, "history");
      await screenshot(page, viewport, "history");
      await earlier.click();
      await expect.poll(async () => (await log.textContent()) ?? "").toContain("And of Pemberley?");

      // Share it.
      await openModelMenu(page, viewport);
      const shared = page.getByRole("switch", { name: "Public" });
      expect(await shared.isChecked()).toBe(false);
      await shared.click();
      await expect.poll(() => shared.isChecked()).toBe(true);
      await closeModelMenu(page, viewport);

      // Filters: by kind and by book.
      await page.getByRole("link", { name: "Back to AI Models" }).click();
      await page.getByRole("button", { name: "Authors" }).click();
      await expect.poll(() => card.count()).toBe(0);
      await expect.poll(() => page.getByRole("link", { name: "Mary Shelley", exact: true }).isVisible()).toBe(true);
      await page.getByRole("button", { name: "Characters" }).click();
      await expect.poll(() => page.getByRole("link", { name: "Mary Shelley", exact: true }).count()).toBe(0);
      await expect.poll(() => link.isVisible()).toBe(true);
      await page.getByRole("button", { name: "All" }).click();
      await page.getByLabel("Book").selectOption({ label: "Pride and Prejudice" });
      await expect.poll(() => page.getByRole("link", { name: "Mary Shelley", exact: true }).count()).toBe(0);
      await expect.poll(() => card.isVisible()).toBe(true);

      // Another reader sees it, public, without the owner's controls.
      await signUp(other.page, app.url, `other-${suffix}@example.test`);
      const theirs = other.page.getByRole("link", { name, exact: true });
      await expect.poll(() => other.page.getByRole("listitem").filter({ has: theirs }).textContent()).toContain("Public");
      await theirs.click();
      await expect.poll(() => other.page.getByRole("heading", { name, level: 1 }).isVisible()).toBe(true);
      expect(await other.page.getByRole("button", { name: "Delete" }).count()).toBe(0);
      expect(await other.page.getByRole("switch", { name: "Public" }).count()).toBe(0);
      await screenshot(other.page, viewport, "chat-as-reader");

      // The quick fine-tune button, both variants, and "already exists".
      await page.goto(`${app.url}#/demo`);
      await expect.poll(() => page.getByRole("heading", { name: "Quick fine-tune button" }).isVisible()).toBe(true);
      await expectAccessible(page, "demo");
      await page.getByRole("button", { name: "Quick fine-tune", exact: true }).click();
      await expect.poll(() => page.getByText("Created Elizabeth Bennet.").isVisible()).toBe(true);
      await page.getByRole("button", { name: "Quick fine-tune Elizabeth Bennet" }).click();
      await expect.poll(() => page.getByText("Elizabeth Bennet already exists.").isVisible()).toBe(true);
      await screenshot(page, viewport, "demo");

      // The owner deletes it; it is gone from the list.
      await page.goto(`${app.url}#/`);
      await link.click();
      await openModelMenu(page, viewport);
      await page.getByRole("button", { name: "Delete" }).click();
      await page.getByRole("button", { name: "Delete for good" }).click();
      await expect.poll(() => page.getByRole("heading", { name: "AI Models" }).isVisible()).toBe(true);
      await expect.poll(() => page.getByRole("link", { name: "Mary Shelley", exact: true }).isVisible()).toBe(true);
      await expect.poll(() => card.count()).toBe(0);
    } finally {
      await owner.close();
      await other.close();
    }
  }, 240_000);
});
