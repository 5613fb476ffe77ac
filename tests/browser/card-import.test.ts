import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { pictureWithText, utf8ToBase64 } from "../../shared/models/card-png.ts";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot } from "./support/browser.ts";
import { createQuickCharacter, signUp, useServedApp } from "./support/served-app.ts";

// A Character Card into the reader app at a phone and a desktop viewport: the preview (picture,
// name, greeting), the book chosen before anything is created, the persona in that book's group
// chat choices with its picture as avatar, and `*actions*` shown in italics.

const app = useServedApp();

/** A real picture (a canvas the browser draws) as a PNG card carrying `card` in its ccv3 chunk. */
async function cardPng(page: Page, card: unknown): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 96;
    const draw = canvas.getContext("2d")!;
    const sky = draw.createLinearGradient(0, 0, 0, 96);
    sky.addColorStop(0, "#0f766e");
    sky.addColorStop(1, "#f59e0b");
    draw.fillStyle = sky;
    draw.fillRect(0, 0, 96, 96);
    draw.fillStyle = "#fef3c7";
    draw.beginPath();
    draw.arc(48, 40, 18, 0, Math.PI * 2);
    draw.fill();
    return canvas.toDataURL("image/png");
  });
  const picture = Buffer.from(dataUrl.split(",")[1], "base64");
  return Buffer.from(pictureWithText(picture, [["ccv3", utf8ToBase64(JSON.stringify(card))]]));
}

/** True once `scope` shows a loaded picture (an avatar's <img alt=""> is not in the accessibility tree). */
const pictureShown = (scope: Locator) =>
  scope.locator("img").first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0).catch(() => false);

describe.each([PHONE, DESKTOP])("importing a Character Card on a $name", (viewport) => {
  it("previews the card, joins the chosen book, and shows its picture and actions", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      const darcy = `Mr Darcy ${suffix}`;
      const name = `Elias Thorn ${suffix}`;
      await signUp(page, app.url, `card-import-${suffix}@example.test`);
      await createQuickCharacter(page, app.url, darcy);

      const png = await cardPng(page, {
        spec: "chara_card_v3",
        spec_version: "3.0",
        data: {
          name,
          description: "{{char}} keeps the lighthouse on a cursed island and has not slept in years.",
          first_mes: "*{{char}} sets down the lamp and looks at {{user}}.* You came up **all** those stairs?",
          creator: "A. Keeper",
          tags: ["gothic"],
        },
      });
      await page.goto(`${app.url}#/new`);
      await page.getByRole("button", { name: "Import a Character Card" }).click();
      await page.getByLabel("Character Card file (JSON or PNG)").setInputFiles({ name: "elias.png", mimeType: "image/png", buffer: png });

      // The preview: picture, name, greeting as it will read; nothing created yet.
      const preview = page.getByRole("region", { name });
      await expect.poll(() => preview.getByRole("heading", { name, level: 3 }).isVisible()).toBe(true);
      expect(await preview.getByRole("img", { name: `${name}'s card picture` }).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96);
      expect(await preview.locator("em").first().textContent()).toBe(`${name} sets down the lamp and looks at you.`);
      expect(await preview.locator("strong").textContent()).toBe("all");
      const book = preview.getByLabel("Book to join");
      expect(await book.locator("option:checked").textContent()).toBe(`${name}'s story (from the card)`);
      await expectAccessible(page, "card-import-preview");
      await screenshot(page, viewport, "card-import-preview");

      // A new book named by the reader needs a title; then the reader picks Darcy's book instead.
      await book.selectOption({ label: "A new book…" });
      expect(await preview.getByRole("button", { name: `Create ${name}` }).isDisabled()).toBe(true);
      await book.selectOption({ label: "Pride and Prejudice" });
      await screenshot(page, viewport, "card-import-book");
      await preview.getByRole("button", { name: `Create ${name}` }).click();

      // Created: its chat opens with the card's greeting, the action in italics, the picture as avatar.
      await expect.poll(() => page.getByRole("heading", { name, level: 1 }).isVisible()).toBe(true);
      await expect.poll(() => page.locator("em", { hasText: `${name} sets down the lamp` }).isVisible()).toBe(true);
      // The header around the persona's name shows the card's picture, not its initial.
      await expect.poll(() => pictureShown(page.getByRole("heading", { name, level: 1 }).locator("xpath=../.."))).toBe(true);
      await page.getByLabel(`Message ${name}`).fill("*waves from the door* Hello?");
      await page.getByRole("button", { name: "Send" }).click();
      // The reply quotes the reader: the action in it is italic; the reader's own bubble stays as typed.
      await expect.poll(() => page.locator("em", { hasText: "waves from the door" }).count(), { timeout: 20_000 }).toBe(1);
      await expect.poll(() => page.getByText("*waves from the door* Hello?", { exact: true }).count()).toBe(1);
      await expectAccessible(page, "card-import-chat");
      await screenshot(page, viewport, "card-import-chat");

      // It joined Darcy's book: both are among that book's group chat choices, its picture beside it.
      await page.goto(`${app.url}#/`);
      await page.getByLabel("Book").selectOption({ label: "Pride and Prejudice" });
      await page.getByRole("link", { name: "Group chat" }).click();
      const choices = page.getByRole("group", { name: /Who joins/ });
      await expect.poll(() => choices.getByRole("checkbox", { name }).isVisible()).toBe(true);
      expect(await choices.getByRole("checkbox", { name: darcy }).isVisible()).toBe(true);
      await expect.poll(() => pictureShown(choices.locator("label", { hasText: name }))).toBe(true);
      await expectAccessible(page, "card-import-group");
      await screenshot(page, viewport, "card-import-group");
    } finally {
      await reader.close();
    }
  }, 120_000);
});
