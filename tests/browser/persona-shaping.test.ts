import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot, type Viewport } from "./support/browser.ts";
import { closeModelMenu, openModelMenu } from "./support/model-menu.ts";
import { createQuickCharacter, signUp, useServedApp } from "./support/served-app.ts";
import { runTrainingSyncFor } from "./support/training-sync.ts";

// Shaping personas in the reader app's production build, at a phone and a desktop viewport:
// thumbs on replies, the owner's examples editor and retrain, Character Cards out (download) and
// in (drag and drop, file picker), and a book's whole cast at once.

const app = useServedApp();


async function showHistory(page: Page, viewport: Viewport) {
  if (viewport.touch) await page.getByRole("button", { name: "History" }).click();
}

/** Clicks what starts a download and answers the downloaded file's bytes. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

const pressed = async (page: Page, name: string) =>
  await page.getByRole("button", { name, exact: true }).last().getAttribute("aria-pressed");

describe.each([PHONE, DESKTOP])("shaping personas on a $name", (viewport) => {
  it("rates replies, edits the examples, retrains, and moves the persona out and in as a Character Card", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      const name = `Mr Darcy ${suffix}`;
      const email = `shaping-${suffix}@example.test`;
      await signUp(page, app.url, email);
      await createQuickCharacter(page, app.url, name);

      // Thumbs on the reply once it is stored: each a toggle, kept with the exchange. The stream's
      // done names the stored exchange, so no conversation list is read after the reply; a reply
      // answered here is its exchange's only one, so no list of its other replies either.
      const requests: string[] = [];
      const record = (request: { method(): string; url(): string }) => {
        if (request.method() !== "OPTIONS") requests.push(`${request.method()} ${new URL(request.url()).pathname}`);
      };
      page.on("request", record);
      await page.getByLabel(`Message ${name}`).fill("What do you think of Elizabeth?");
      await page.getByRole("button", { name: "Send" }).click();
      await expect.poll(() => page.getByRole("button", { name: "Good reply" }).count(), { timeout: 20_000 }).toBe(1);
      await expect.poll(() => page.getByRole("button", { name: "Send" }).textContent()).toBe("Send");
      page.off("request", record);
      expect(requests.filter((request) => request.includes("/functions/v1/fine-tune-chat/"))).toEqual([expect.stringMatching(/^POST /)]);
      expect(requests.filter((request) => request.includes("/fine-tune-conversations/"))).toEqual([]);
      expect(requests.filter((request) => request.includes("/fine-tune-chat-alternatives/"))).toEqual([]);
      expect(await pressed(page, "Good reply")).toBe("false");
      await page.getByRole("button", { name: "Good reply" }).click();
      await expect.poll(() => pressed(page, "Good reply")).toBe("true");
      await page.getByRole("button", { name: "Good reply" }).click();
      await expect.poll(() => pressed(page, "Good reply")).toBe("false");
      await page.getByRole("button", { name: "Bad reply" }).click();
      await expect.poll(() => pressed(page, "Bad reply")).toBe("true");
      await expectAccessible(page, "chat-rated");
      await screenshot(page, viewport, "chat-rated");
      await page.reload();
      await showHistory(page, viewport);
      await page.getByRole("navigation", { name: "Conversations" }).getByRole("button", { name: /^What do you think of Elizabeth\?/ }).click();
      await expect.poll(() => pressed(page, "Bad reply")).toBe("true");
      await page.getByRole("button", { name: "Good reply" }).click();
      await expect.poll(() => pressed(page, "Good reply")).toBe("true");
      expect(await pressed(page, "Bad reply")).toBe("false");

      // The examples editor: the generated examples once training is under way.
      await openModelMenu(page, viewport);
      await page.getByRole("link", { name: "Training examples" }).click();
      await expect.poll(() => page.getByRole("heading", { name: "Training examples", level: 1 }).isVisible()).toBe(true);
      await expect.poll(async () => {
        await runTrainingSyncFor(email);
        return await page.getByRole("status", { name: "Training status" }).textContent();
      }, { timeout: 60_000, interval: 1_000 }).toMatch(/^Trained/);
      await page.reload();
      const list = page.getByRole("list", { name: "Examples" });
      await expect.poll(() => list.getByRole("listitem").count(), { timeout: 20_000 }).toBe(10);
      expect(await list.getByText("Generated", { exact: true }).count()).toBe(10);
      await expectAccessible(page, "examples");
      await screenshot(page, viewport, "examples");

      await page.getByRole("button", { name: "Add example" }).click();
      await page.getByLabel("Topic").fill("Pemberley");
      await page.getByLabel("Reader says").fill("Is Pemberley very grand?");
      await page.getByLabel(`${name} answers`).fill("It is my home, and I am fond of it.");
      await screenshot(page, viewport, "examples-add");
      await page.getByRole("button", { name: "Save example" }).click();
      await expect.poll(() => page.getByRole("status").filter({ hasText: "Example added." }).count()).toBe(1);
      const added = list.getByRole("listitem", { name: /Pemberley/ });
      await expect.poll(() => added.getByText("Yours", { exact: true }).count()).toBe(1);

      await added.getByRole("button", { name: "Edit" }).click();
      await added.getByLabel(`${name} answers`).fill("It is my home; I am proud of it, with reason.");
      await added.getByRole("button", { name: "Save changes" }).click();
      await expect.poll(() => added.getByText("It is my home; I am proud of it, with reason.").count()).toBe(1);
      await added.getByRole("button", { name: "Delete" }).click();
      await added.getByRole("button", { name: "Delete for good" }).click();
      await expect.poll(() => list.getByRole("listitem").count()).toBe(10);

      // JSONL: a bad line is named and nothing is added; a good file is added whole.
      const importInput = page.getByLabel("Import examples (OpenAI chat JSONL)");
      const good = JSON.stringify({ messages: [{ role: "user", content: "Your temper?" }, { role: "assistant", content: "Resentful, I fear." }] });
      await importInput.setInputFiles({ name: "bad.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(`${good}\nnot json\n`) });
      await expect.poll(async () => (await page.getByRole("alert").textContent()) ?? "").toMatch(/line 2/);
      expect(await list.getByRole("listitem").count()).toBe(10);
      await expectAccessible(page, "examples-import-refused");
      await screenshot(page, viewport, "examples-import-refused");
      await importInput.setInputFiles({ name: "good.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(`${good}\n`) });
      await expect.poll(() => page.getByRole("status").filter({ hasText: "Imported 1 example." }).count()).toBe(1);
      await page.getByRole("button", { name: "Add up-rated replies" }).click();
      await expect.poll(() => page.getByRole("status").filter({ hasText: "Added 1 up-rated reply." }).count()).toBe(1);
      await expect.poll(() => list.getByText("From a chat", { exact: true }).count()).toBe(1);
      expect(await list.getByRole("listitem").count()).toBe(12);

      await page.getByRole("button", { name: "Retrain" }).click();
      await expect.poll(() => page.getByRole("status").filter({ hasText: /Retraining started/ }).count()).toBe(1);
      await expect.poll(() => page.getByRole("button", { name: "Training…" }).isDisabled()).toBe(true);
      await screenshot(page, viewport, "examples-retrain");

      // The card out: JSON and PNG downloads.
      await page.getByRole("link", { name: `Back to ${name}` }).click();
      await openModelMenu(page, viewport);
      await page.getByRole("button", { name: "Export card" }).click();
      const json = await downloaded(page, () => page.getByRole("group", { name: "Export card as" }).getByRole("button", { name: "JSON" }).click());
      expect(json.name).toMatch(/-card\.json$/);
      const card = JSON.parse(json.bytes.toString("utf8"));
      expect(card).toMatchObject({ spec: "chara_card_v3", data: { name } });
      const png = await downloaded(page, () => page.getByRole("group", { name: "Export card as" }).getByRole("button", { name: "PNG" }).click());
      expect(png.name).toMatch(/-card\.png$/);
      expect([...png.bytes.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
      await screenshot(page, viewport, "chat-card-export");

      // The card in: a PNG of a live persona is "already exists"; a broken file says why; a card
      // dropped on the zone is previewed, then becomes a new persona.
      await page.goto(`${app.url}#/new`);
      await page.getByRole("button", { name: "Import a Character Card" }).click();
      await page.getByLabel("Character Card file (JSON or PNG)").setInputFiles({ name: png.name, mimeType: "image/png", buffer: png.bytes });
      await page.getByRole("button", { name: `Create ${name}` }).click();
      await expect.poll(() => page.getByText(`${name} for this book already exists.`).isVisible()).toBe(true);
      await page.getByRole("button", { name: "Choose another card" }).click();
      await page.getByLabel("Character Card file (JSON or PNG)").setInputFiles({ name: "card.json", mimeType: "application/json", buffer: Buffer.from('{"spec":"chara_card_v1","data":{}}') });
      await expect.poll(async () => (await page.getByRole("alert").first().textContent()) ?? "").toMatch(/not imported/);
      await expectAccessible(page, "card-import-refused");
      await screenshot(page, viewport, "card-import-refused");
      const copy = { ...card, data: { ...card.data, name: `Fitzwilliam ${suffix}` } };
      const drop = page.getByRole("group", { name: "Drop a Character Card here" });
      const transfer = await page.evaluateHandle((text) => {
        const data = new DataTransfer();
        data.items.add(new File([text], "fitzwilliam.json", { type: "application/json" }));
        return data;
      }, JSON.stringify(copy));
      await drop.dispatchEvent("dragover", { dataTransfer: transfer });
      await drop.dispatchEvent("drop", { dataTransfer: transfer });
      await page.getByRole("button", { name: `Create Fitzwilliam ${suffix}` }).click();
      await expect.poll(() => page.getByRole("heading", { name: `Fitzwilliam ${suffix}`, level: 1 }).isVisible()).toBe(true);
    } finally {
      await reader.close();
    }
  }, 240_000);

  it("creates a book's whole cast and shows each member's outcome", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      const name = `Mr Darcy ${suffix}`;
      await signUp(page, app.url, `cast-${suffix}@example.test`);
      await createQuickCharacter(page, app.url, name);

      await page.goto(`${app.url}#/`);
      await expect.poll(() => page.getByRole("link", { name, exact: true }).isVisible()).toBe(true);
      // The consent to share up-rated replies: off until the reader turns it on, and kept.
      const sharing = page.getByRole("switch", { name: "Share my up-rated replies" });
      await expect.poll(() => sharing.isEnabled()).toBe(true);
      expect(await sharing.isChecked()).toBe(false);
      await sharing.check();
      await expect.poll(() => sharing.isEnabled()).toBe(true);
      await page.reload();
      await expect.poll(async () => (await sharing.isEnabled()) && (await sharing.isChecked())).toBe(true);
      await page.getByLabel("Book").selectOption({ label: "Pride and Prejudice" });
      await page.getByRole("link", { name: "Whole cast" }).click();
      await expect.poll(() => page.getByRole("heading", { name: "Whole cast", level: 1 }).isVisible()).toBe(true);
      await expect.poll(() => page.getByLabel("Book title").inputValue()).toBe("Pride and Prejudice");
      expect(await page.getByLabel("Book author").inputValue()).toBe("Jane Austen");

      await page.getByLabel("Character 1 name").fill(name);
      await page.getByLabel("About character 1").fill("Proud and reserved.");
      await page.getByLabel("Character 2 name").fill(`Jane Bennet ${suffix}`);
      await page.getByRole("button", { name: "Create the cast" }).click();
      // One bad entry refuses the whole cast, on its own field.
      await expect.poll(() => page.getByLabel("About character 2").getAttribute("aria-invalid")).toBe("true");
      await expectAccessible(page, "cast-invalid");
      await screenshot(page, viewport, "cast-invalid");
      await page.getByLabel("About character 2").fill("The eldest Bennet sister, who sees good in everyone.");
      await page.getByRole("button", { name: "Add a character" }).click();
      await page.getByLabel("Character 3 name").fill(`Mr Bingley ${suffix}`);
      await page.getByLabel("About character 3").fill("Amiable, rich, and easily led.");
      await page.getByRole("button", { name: "Create the cast" }).click();

      const members = page.getByRole("list", { name: "Cast members" });
      await expect.poll(() => members.getByRole("listitem").count(), { timeout: 20_000 }).toBe(4);
      const outcomes = await members.getByRole("listitem").allTextContents();
      expect(outcomes[0]).toMatch(/Jane Austen.*Author · Created/);
      expect(outcomes[1]).toMatch(new RegExp(`${name}.*Character · Already exists`));
      expect(outcomes[2]).toMatch(/Jane Bennet.*Character · Created/);
      expect(outcomes[3]).toMatch(/Mr Bingley.*Character · Created/);
      expect(await members.getByRole("link", { name: /^Open / }).count()).toBe(4);
      await expectAccessible(page, "cast-created");
      await screenshot(page, viewport, "cast-created");
      await members.getByRole("link", { name: `Open Jane Bennet ${suffix}` }).click();
      await expect.poll(() => page.getByRole("heading", { name: `Jane Bennet ${suffix}`, level: 1 }).isVisible()).toBe(true);
    } finally {
      await reader.close();
    }
  }, 180_000);
});
