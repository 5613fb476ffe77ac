import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot, type Viewport } from "./support/browser.ts";
import { expectDrawerCloses } from "./support/drawer.ts";
import { createQuickCharacter, signUp, useServedApp } from "./support/served-app.ts";
import { sillyTavernFixture } from "../support/sillytavern-chat.ts";

// Conversations beyond one-to-one in the reader app's production build: the greeting, a group
// chat among a book's personas, and transcripts out and back in, at a phone and a desktop viewport.

const app = useServedApp();

/** On a phone the conversation list is behind a toggle; on a desktop it is always beside the chat. */
async function showHistory(page: Page, viewport: Viewport) {
  if (viewport.touch) await page.getByRole("button", { name: "History" }).click();
}

/** Clicks what starts a download and answers the downloaded file's text. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), "utf8") };
}

describe.each([PHONE, DESKTOP])("conversations on a $name", (viewport) => {
  it("opens with the greeting, exports a conversation and imports it back", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      const name = `Mr Darcy ${suffix}`;
      await signUp(page, app.url, `transcripts-${suffix}@example.test`);
      await createQuickCharacter(page, app.url, name);

      // The persona speaks first: its greeting is the conversation's first message, before the starters.
      const log = page.getByRole("log", { name: "Messages" });
      await expect.poll(async () => (await log.textContent()) ?? "", { timeout: 20_000 }).toMatch(new RegExp(`^${name}: \\S`));
      await expect.poll(() => page.getByText(`Start a conversation with ${name}`).isVisible()).toBe(true);
      await screenshot(page, viewport, "chat-greeting");

      await page.getByLabel(`Message ${name}`).fill("What do you think of Elizabeth?");
      await page.getByRole("button", { name: "Send" }).click();
      await expect.poll(() => page.getByText("⚠️ Using general AI").count(), { timeout: 20_000 }).toBe(1);

      // Export: JSONL (what import takes back), plain text and Markdown, each a download.
      await showHistory(page, viewport);
      const history = page.getByRole("navigation", { name: "Conversations" });
      await expect.poll(() => history.getByRole("button", { name: /^What do you think of Elizabeth\?/ }).count()).toBe(1);
      await history.getByRole("button", { name: "Export", exact: true }).click();
      await expectAccessible(page, "history-export");
      await screenshot(page, viewport, "history-export");
      const jsonl = await downloaded(page, () => history.getByRole("button", { name: "JSONL", exact: true }).click());
      expect(jsonl.name).toMatch(/\.jsonl$/);
      const lines = jsonl.text.trim().split("\n").map((line) => JSON.parse(line));
      expect(lines[0].character_name).toBe(name);
      // The greeting the conversation opened with comes first, the persona's, as SillyTavern's chats begin.
      expect(lines.slice(1).map((line) => [line.is_user, line.name])).toEqual([[false, name], [true, expect.any(String)], [false, name]]);
      expect(lines[2].mes).toBe("What do you think of Elizabeth?");
      const markdown = await downloaded(page, () => history.getByRole("button", { name: "Markdown", exact: true }).click());
      expect(markdown.name).toMatch(/\.md$/);
      expect(markdown.text).toContain("What do you think of Elizabeth?");
      const text = await downloaded(page, () => history.getByRole("button", { name: "TXT", exact: true }).click());
      expect(text.text).toContain(lines[3].mes.slice(0, 40));

      // A malformed file is refused with the API's line errors; nothing is added.
      const importInput = page.getByLabel("Import a transcript (JSONL)");
      await importInput.setInputFiles({ name: "broken.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(`${JSON.stringify(lines[0])}\nnot json\n`) });
      const refusal = history.getByRole("alert");
      await expect.poll(() => refusal.textContent()).toMatch(/not imported.*line 2/is);
      await expectAccessible(page, "history-import-refused");
      await screenshot(page, viewport, "history-import-refused");

      // Import it back: a new conversation with the same messages opens.
      await importInput.setInputFiles({ name: jsonl.name, mimeType: "application/x-ndjson", buffer: Buffer.from(jsonl.text) });
      await showHistory(page, viewport);
      await expect.poll(() => history.getByRole("button", { name: /^What do you think of Elizabeth\?/ }).count()).toBe(2);
      const current = history.locator('[aria-current="true"]');
      await expect.poll(() => current.count()).toBe(1);
      const currentItem = history.getByRole("listitem").filter({ has: page.locator('[aria-current="true"]') });
      const reopened = await downloaded(page, async () => {
        await currentItem.getByRole("button", { name: "Export", exact: true }).click();
        await currentItem.getByRole("button", { name: "JSONL", exact: true }).click();
      });
      const again = reopened.text.trim().split("\n").map((line) => JSON.parse(line));
      expect(again.slice(1).map((line) => [line.is_user, line.mes])).toEqual(lines.slice(1).map((line) => [line.is_user, line.mes]));
      if (viewport.touch) await currentItem.getByRole("button", { name: /^What do you think/ }).click();
      await expect.poll(async () => (await log.textContent()) ?? "").toContain(lines[3].mes.slice(0, 40));

      // A chat SillyTavern saved opens, reopened, with its own greeting at the top.
      await showHistory(page, viewport);
      await importInput.setInputFiles({ name: "sillytavern.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(sillyTavernFixture("sillytavern-2024.jsonl")) });
      await expect.poll(async () => (await log.textContent()) ?? "").toMatch(new RegExp(`^${name}: You find me at Netherfield`));
      await expect.poll(async () => (await log.textContent()) ?? "").toContain("Do you dance, Miss Bennet?");
    } finally {
      await reader.close();
    }
  }, 180_000);

  it("holds a group chat with two personas of a book, in turn, then with a chosen speaker, and reopens it", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      const name = `Mr Darcy ${suffix}`;
      await signUp(page, app.url, `group-${suffix}@example.test`);
      await createQuickCharacter(page, app.url, name);
      await page.goto(`${app.url}#/demo`);
      await page.getByRole("button", { name: "Quick fine-tune", exact: true }).click();
      await expect.poll(() => page.getByText("Created Elizabeth Bennet.").isVisible()).toBe(true);

      // From the models of a book: "Group chat", pick both, everyone in turn.
      await page.goto(`${app.url}#/`);
      await expect.poll(() => page.getByRole("link", { name, exact: true }).isVisible()).toBe(true);
      await page.getByLabel("Book").selectOption({ label: "Pride and Prejudice" });
      await page.getByRole("link", { name: "Group chat" }).click();
      await expect.poll(() => page.getByRole("heading", { name: "Group chat", level: 1 }).isVisible()).toBe(true);
      await page.getByRole("checkbox", { name, exact: true }).check();
      await page.getByRole("checkbox", { name: "Elizabeth Bennet", exact: true }).check();
      await page.getByRole("radio", { name: "In turn" }).check();
      await expectAccessible(page, "group-new");
      await screenshot(page, viewport, "group-new");

      await page.getByLabel("Message the group").fill("What did you each make of the ball at Netherfield?");
      await page.getByRole("button", { name: "Send" }).click();
      const log = page.getByRole("log", { name: "Messages" });
      await expect.poll(() => page.getByText("⚠️ Using general AI").count(), { timeout: 30_000 }).toBe(2);
      // Each reply under its speaker's name, in the order they joined.
      expect(await log.getByText(name, { exact: true }).count()).toBe(1);
      expect(await log.getByText("Elizabeth Bennet", { exact: true }).count()).toBe(1);
      expect(await log.textContent()).toMatch(new RegExp(`You: What did you each make.*${name}: .*Elizabeth Bennet: `, "s"));
      // Each reply plays in its own speaker's voice, and is rated like a one-to-one reply.
      const voices: string[] = [];
      for (const play of await log.getByRole("button", { name: "Play reply" }).all()) {
        const spoken = page.waitForResponse((response) => response.url().includes("/fine-tune-speech/") && response.request().method() === "POST");
        await play.click();
        const speech = await spoken;
        expect(speech.status()).toBe(200);
        voices.push(new URL(speech.url()).pathname.split("/").at(-1)!);
      }
      expect(new Set(voices).size).toBe(2);
      await expect.poll(() => log.getByRole("button", { name: /^Loading/ }).count(), { timeout: 10_000 }).toBe(0);
      const good = log.getByRole("button", { name: "Good reply" });
      await good.first().click();
      await expect.poll(() => good.first().getAttribute("aria-pressed")).toBe("true");
      await expectAccessible(page, "group-replies");
      await screenshot(page, viewport, "group-replies");

      // Manual: only the chosen persona answers.
      await page.getByRole("radio", { name: "I choose" }).check();
      await page.getByLabel("Next speaker").selectOption({ label: "Elizabeth Bennet" });
      await page.getByLabel("Message the group").fill("Miss Bennet, and the militia?");
      await page.getByRole("button", { name: "Send" }).click();
      await expect.poll(() => page.getByText("⚠️ Using general AI").count(), { timeout: 30_000 }).toBe(3);
      expect(await log.getByText("Elizabeth Bennet", { exact: true }).count()).toBe(2);
      expect(await log.getByText(name, { exact: true }).count()).toBe(1);
      await screenshot(page, viewport, "group-manual");

      // Listed among the group chats; it reopens with every message in order.
      await page.goto(`${app.url}#/`);
      await page.getByLabel("Book").selectOption({ label: "Pride and Prejudice" });
      await page.getByRole("link", { name: "Group chat" }).click();
      await expect.poll(() => page.getByRole("checkbox", { name, exact: true }).isVisible()).toBe(true);
      const list = page.getByRole("navigation", { name: "Group conversations" });
      if (viewport.touch) await expectDrawerCloses(page, viewport, list);
      await showHistory(page, viewport);
      const earlier = list.getByRole("link", { name: new RegExp(`${name}, Elizabeth Bennet`) });
      await expect.poll(() => earlier.textContent()).toContain("5 messages");
      await expectAccessible(page, "group-history");
      await screenshot(page, viewport, "group-history");
      const markdown = await downloaded(page, async () => {
        await list.getByRole("button", { name: "Export", exact: true }).click();
        await list.getByRole("button", { name: "Markdown", exact: true }).click();
      });
      expect(markdown.text).toContain("Miss Bennet, and the militia?");
      expect(markdown.text).toContain(name);
      const listAddress = page.url();
      await earlier.click();
      await expect.poll(() => log.getByText("Elizabeth Bennet", { exact: true }).count()).toBe(2);
      if (viewport.touch) expect(await list.isVisible()).toBe(false);
      // The rating came back with the conversation: the first reply's only.
      await expect.poll(() => good.evaluateAll((buttons) => buttons.map((button) => button.getAttribute("aria-pressed"))))
        .toEqual(["true", "false", "false"]);
      expect(await page.getByRole("checkbox").count()).toBe(0);
      expect(await log.textContent()).toMatch(new RegExp(`Netherfield\?.*${name}: .*Elizabeth Bennet: .*militia\?.*Elizabeth Bennet: `, "s"));
      await screenshot(page, viewport, "group-reopened");
      // Back from the reopened chat returns to where the list was opened, not to a drawer left behind.
      await page.goBack();
      await expect.poll(() => page.url()).toBe(listAddress);
      await expect.poll(() => page.getByRole("checkbox", { name, exact: true }).isVisible()).toBe(true);
      // ...and Back once more leaves it: the drawer's own history entry was taken off on the way.
      await page.goBack();
      await expect.poll(() => page.url()).not.toBe(listAddress);
    } finally {
      await reader.close();
    }
  }, 180_000);
});
