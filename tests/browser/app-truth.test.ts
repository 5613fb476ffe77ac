import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { adminSql } from "../support/stack.ts";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot, type Viewport } from "./support/browser.ts";
import { createQuickCharacter, signUp, useServedApp } from "./support/served-app.ts";
import { runTrainingSyncFor } from "./support/training-sync.ts";

// The reader app telling the truth as people live in it, at a phone and a desktop viewport:
// installable and opening offline, limits shown instead of silent cuts, unsent messages kept and
// sent when the network is back, which model answered (kept on reopening), and the banner during a
// retrain.

const app = useServedApp();

/** Chromium's own verdict: no installability errors, and the service worker controls the page. */
async function expectInstallable(context: BrowserContext, page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const cdp = await context.newCDPSession(page);
  const manifest = await cdp.send("Page.getAppManifest");
  expect(manifest.errors).toEqual([]);
  expect(JSON.parse(manifest.data ?? "{}")).toMatchObject({ display: "standalone", name: "Storyvoice" });
  await expect.poll(async () => (await cdp.send("Page.getInstallabilityErrors")).installabilityErrors).toEqual([]);
  await cdp.detach();
}

async function showHistory(page: Page, viewport: Viewport) {
  if (viewport.touch) await page.getByRole("button", { name: "History" }).click();
}

describe.each([PHONE, DESKTOP])("the app as people live in it, on a $name", (viewport) => {
  it("installs, opens offline, counts limits, keeps unsent messages and says which model answered", async () => {
    const reader = await openBrowser(viewport, { installable: true });
    try {
      const { context, page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      const email = `truth-${suffix}@example.test`;
      const name = `Mr Darcy ${suffix}`;
      await signUp(page, app.url, email);
      await expectInstallable(context, page);

      // 6. A pasted 5,000-character name is kept whole and counted, never cut to 200.
      await page.goto(`${app.url}#/new`);
      const nameField = page.getByLabel("Character's name");
      await nameField.fill("N".repeat(5000));
      expect((await nameField.inputValue()).length).toBe(5000);
      await expect.poll(() => page.getByText("5,000 / 200 · 4,800 over the limit").isVisible()).toBe(true);
      await expectAccessible(page, "create-over-limit");
      await screenshot(page, viewport, "create-over-limit");

      await createQuickCharacter(page, app.url, name);
      const modelId = page.url().split("#/models/")[1];
      const log = page.getByRole("log", { name: "Messages" });
      const composer = page.getByLabel(`Message ${name}`);
      const sendButton = page.getByRole("button", { name: "Send" });

      // The composer counts near its 4,000 and holds back what is over, whole.
      await composer.fill("x".repeat(4100));
      await expect.poll(() => page.getByText("4,100 / 4,000 · 100 over the limit").isVisible()).toBe(true);
      expect(await sendButton.isDisabled()).toBe(true);
      expect((await composer.inputValue()).length).toBe(4100);
      await composer.fill("");

      // 7. Offline: said plainly; the message stays, marked not sent, and goes once back online.
      await context.setOffline(true);
      await expect.poll(() => page.getByText("You are offline", { exact: true }).first().isVisible()).toBe(true);
      await composer.fill("Are you there, sir?");
      await sendButton.click();
      await expect.poll(() => log.getByText("Not sent").isVisible()).toBe(true);
      expect(await log.textContent()).toContain("Are you there, sir?");
      await expect.poll(() => page.getByRole("alert").filter({ hasText: "Not sent: you are offline" }).isVisible()).toBe(true);
      await expectAccessible(page, "chat-offline");
      await screenshot(page, viewport, "chat-offline");
      await context.setOffline(false);
      await expect.poll(() => log.getByText("⚠️ Using general AI").count(), { timeout: 20_000 }).toBe(1);
      expect(await log.getByText("Not sent").count()).toBe(0);
      // Sent once: the kept copy gave way to the sent message.
      expect(await log.locator(".from-me").filter({ hasText: "Are you there, sir?" }).count()).toBe(1);

      // 5. Reopened after a reload, the reply still says a general AI wrote it.
      await page.reload();
      await showHistory(page, viewport);
      await page.getByRole("navigation", { name: "Conversations" }).getByRole("button", { name: /^Are you there, sir\?/ }).click();
      await expect.poll(() => log.getByText("⚠️ Using general AI").count()).toBe(1);

      // Trained: replies say they come from the fine-tune.
      await expect.poll(async () => {
        await runTrainingSyncFor(email);
        const [model] = await adminSql()<{ chat_mode: string }[]>`select chat_mode from private.fine_tuned_models where id = ${modelId}`;
        return model.chat_mode;
      }, { timeout: 30_000, interval: 500 }).toBe("fine-tuned");
      await page.reload();
      const banner = page.getByRole("status", { name: "Training status" });
      await expect.poll(() => banner.textContent()).toMatch(/^Trained/);
      await composer.fill("And now?");
      await sendButton.click();
      await expect.poll(() => log.getByText("✓ Fine-tuned model").count(), { timeout: 20_000 }).toBe(1);

      // 4. A retrain in line, then reporting progress: still trained, replies still from the fine-tune.
      // Not due for a check: a sync run by another suite leaves it as it is.
      await adminSql()`
        insert into public.training_runs (model_id, provider, base_model, next_check_at)
        select id, provider, base_model, now() + interval '1 day' from private.fine_tuned_models where id = ${modelId}`;
      await page.reload();
      await expect.poll(() => banner.textContent()).toContain("Trained · a new version is being prepared");
      expect(await banner.textContent()).toContain("replies come from");
      expect(await banner.textContent()).not.toContain("general AI");
      await adminSql()`
        update public.training_runs
        set status = 'training', progress = ${adminSql().json({ providerStatus: "running", percent: 40, estimatedFinish: new Date(Date.now() + 600_000).toISOString() })}
        where model_id = ${modelId} and status = 'pending'`;
      await page.reload();
      await expect.poll(() => banner.textContent()).toContain("Trained · a new version is training · 40%");
      // A banner already read is folded to one line (its percent shown); "More" opens the bar.
      const more = page.getByRole("button", { name: /^More/ });
      const bar = page.getByRole("progressbar", { name: "Training progress" });
      // The status refreshes on its own and may draw the banner anew, folded: read it open.
      await expect.poll(async () => {
        if (await more.isVisible()) await more.click();
        return (await bar.count()) === 1 ? bar.getAttribute("value", { timeout: 1_000 }).catch(() => null) : null;
      }).toBe("40");
      await expectAccessible(page, "chat-retraining");
      await screenshot(page, viewport, "chat-retraining");
      await page.goto(`${app.url}#/`);
      const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name, exact: true }) });
      await expect.poll(() => card.textContent()).toContain("Trained · updating");
      expect(await card.textContent()).not.toContain("Preparing");

      // 7 and 5 in a group: kept while offline, sent on reconnecting, markers kept on reopening.
      await page.goto(`${app.url}#/demo`);
      await page.getByRole("button", { name: "Quick fine-tune", exact: true }).click();
      await expect.poll(() => page.getByText("Created Elizabeth Bennet.").isVisible()).toBe(true);
      const [{ book_id: bookId }] = await adminSql()<{ book_id: string }[]>`select book_id from private.fine_tuned_models where id = ${modelId}`;
      const [{ id: elizabeth }] = await adminSql()<{ id: string }[]>`
        select m.id from private.fine_tuned_models m join auth.users u on u.id = m.created_by
        where u.email = ${email} and m.entity_name = 'Elizabeth Bennet'`;
      await page.goto(`${app.url}#/group?${new URLSearchParams([["book", bookId], ["with", modelId], ["with", elizabeth]])}`);
      const groupComposer = page.getByLabel("Message the group");
      await expect.poll(() => page.getByRole("checkbox", { name: "Elizabeth Bennet", exact: true }).isChecked()).toBe(true);
      await page.getByRole("radio", { name: "In turn" }).check();
      await context.setOffline(true);
      await groupComposer.fill("Shall we walk to Meryton?");
      await sendButton.click();
      await expect.poll(() => log.getByText("Not sent").isVisible()).toBe(true);
      expect(await groupComposer.inputValue()).toBe("");
      await screenshot(page, viewport, "group-offline");
      await context.setOffline(false);
      // Mr Darcy answers from his fine-tune; Elizabeth from whichever model she has by now.
      const markers = async () => ({
        general: await log.getByText("⚠️ Using general AI").count(),
        fineTuned: await log.getByText("✓ Fine-tuned model").count(),
      });
      await expect.poll(async () => Object.values(await markers()).reduce((a, b) => a + b), { timeout: 30_000 }).toBe(2);
      const answered = await markers();
      expect(answered.fineTuned).toBeGreaterThanOrEqual(1);
      expect(await log.getByText("Not sent").count()).toBe(0);
      await expect.poll(() => page.url()).toMatch(/#\/group\/[0-9a-f-]{36}$/);
      await page.reload();
      await expect.poll(markers).toEqual(answered);

      // 11. With the network off, the installed shell still opens and says why nothing loads.
      await context.setOffline(true);
      await page.goto(`${app.url}#/`);
      await page.reload();
      await expect.poll(() => page.getByRole("link", { name: "Storyvoice" }).first().isVisible()).toBe(true);
      await expect.poll(() => page.getByText("You are offline", { exact: true }).first().isVisible()).toBe(true);
      await screenshot(page, viewport, "offline-shell");
      await context.setOffline(false);
    } finally {
      await reader.close();
    }
  }, 180_000);
});
