import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot } from "./support/browser.ts";
import { createQuickCharacter, signUp, useServedApp } from "./support/served-app.ts";
import { insertModel } from "../support/models.ts";
import { adminSql } from "../support/stack.ts";

// The reader's Usage screen in the production build: reached from the header, a meter per quota
// of their plan, the last 30 days as a uPlot chart (loaded with the screen, not before) and as a
// table, at a phone and a desktop viewport.

const app = useServedApp();

const BOOK_FORM = { about: "The lighthouse keeper, a widower who has kept the light for thirty years.", bookTitle: "The Lighthouse at Wrack Point", bookAuthor: "Maren Hale", aboutBook: "A keeper's daughter pieces together why her father let the light go dark." };

describe.each([PHONE, DESKTOP])("the usage screen on a $name", (viewport) => {
  it("shows the plan's quotas as meters and the last 30 days as a chart and a table", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      await signUp(page, app.url, `usage-${suffix}@example.test`);
      await createQuickCharacter(page, app.url, `Tomas ${suffix}`, BOOK_FORM);

      // The chart library arrives with the screen: none of it is fetched before.
      const scripts: string[] = [];
      page.on("request", (request) => {
        if (request.resourceType() === "script") scripts.push(request.url());
      });
      await page.getByRole("link", { name: "Usage" }).click();
      await expect.poll(() => page.getByRole("heading", { name: "Usage", level: 1 }).isVisible()).toBe(true);
      expect(scripts.length).toBeGreaterThan(0);

      await expect.poll(() => page.getByText(/^Plan: Free\. Daily limits reset at /).isVisible()).toBe(true);
      const models = page.getByRole("meter", { name: "Models created today" });
      await expect.poll(() => models.getAttribute("value")).toBe("1");
      expect(Number(await models.getAttribute("max"))).toBeGreaterThanOrEqual(1);
      await expect.poll(() => page.getByRole("meter", { name: "Chat messages today" }).getAttribute("value")).toBe("0");
      expect(await page.getByRole("meter", { name: "Trainings in flight" }).isVisible()).toBe(true);

      const chart = page.getByRole("img", { name: /^Your last 30 days: 0 chat messages and 1 model created, about \$[\d.]+ of AI spend\.$/ });
      await expect.poll(() => chart.isVisible()).toBe(true);
      // uPlot drew into it: a canvas and its legend with both series.
      await expect.poll(() => chart.locator("canvas").count()).toBeGreaterThan(0);
      expect(await chart.getByText("Chat messages").count()).toBeGreaterThan(0);
      expect(await chart.getByText("Models created").count()).toBeGreaterThan(0);

      await page.getByText("Show the numbers").click();
      const table = page.getByRole("table", { name: "Chat messages, models created and AI spend per UTC day" });
      await expect.poll(() => table.getByRole("row").count()).toBe(31);
      expect(await table.getByRole("row").nth(1).getByRole("cell").allTextContents()).toEqual(["0", "1", expect.stringMatching(/^\$[\d.]+$/)]);
      await page.getByText("Show the numbers").click();
      await page.evaluate(() => window.scrollTo(0, 0));

      await expectAccessible(page, "usage");
      await screenshot(page, viewport, "usage");
      await chart.scrollIntoViewIfNeeded();
      await screenshot(page, viewport, "usage-chart");
    } finally {
      await reader.close();
    }
  }, 90_000);

  it("the chat's training banner shows a waiting model's place in the training queue", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const email = `queue-${crypto.randomUUID().slice(0, 6)}@example.test`;
      await signUp(page, app.url, email);
      const [{ id: userId }] = await adminSql()<{ id: string }[]>`select id from auth.users where email = ${email}`;
      // A model whose run waits for a provider slot; the live lease keeps the stack's sync from starting it.
      const modelId = await insertModel(userId, { name: "Wren", entity_name: "Wren", status: "pending", style_description: "You are Wren." });
      await adminSql()`
        update public.training_runs
        set queued_at = now(), next_check_at = 'infinity', lease_expires_at = now() + interval '10 minutes'
        where model_id = ${modelId}`;

      await page.goto(`${app.url}#/models/${modelId}`);
      const banner = page.getByRole("status", { name: "Training status" });
      await expect.poll(() => banner.textContent()).toMatch(/^Waiting to train · \d+(st|nd|rd|th) in lineExpected to start around .+\. Until then, a general AI plays the part\.$/);
      await expectAccessible(page, "chat-queued");
      await screenshot(page, viewport, "chat-queued");
      await adminSql()`delete from private.fine_tuned_models where id = ${modelId}`;
    } finally {
      await reader.close();
    }
  }, 60_000);

  it("the chat's training banner says plainly when the training provider refused this deployment, without the operator's settings", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const email = `refused-${crypto.randomUUID().slice(0, 6)}@example.test`;
      await signUp(page, app.url, email);
      const [{ id: userId }] = await adminSql()<{ id: string }[]>`select id from auth.users where email = ${email}`;
      const modelId = await insertModel(userId, { name: "Wren", entity_name: "Wren", status: "ready", style_description: "You are Wren." });
      // The stack is shared by every suite: the refusal is added to this page's status answers only,
      // not remembered for the whole stack (the status answer's own test covers that part).
      await page.route(`**/fine-tune-status/${modelId}`, async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        await route.fulfill({
          response,
          json: {
            ...body,
            trainingNotice: {
              provider: "openai",
              reason: "Fine-tuning at OpenAI is not available to this organisation: Your organization does not have access to fine-tuning.",
              advice: "New models answer in persona mode. To fine-tune elsewhere, set TOGETHER_API_KEY and TRAINING_PROVIDERS=openai,together.",
              refusedAt: new Date().toISOString(),
              recheckAfter: new Date(Date.now() + 7 * 86_400_000).toISOString(),
            },
          },
        });
      });

      await page.goto(`${app.url}#/models/${modelId}`);
      const banner = page.getByRole("status", { name: "Training status" });
      await expect.poll(() => banner.textContent()).toMatch(
        /^Persona modeFine-tuning at OpenAI is not available to this organisation: .+ A general AI plays Wren from its style guide\.$/,
      );
      // The settings to change are for the operator, never shown to a reader.
      expect(await banner.textContent()).not.toContain("TOGETHER_API_KEY");
      await expectAccessible(page, "chat-training-refused");
      await screenshot(page, viewport, "chat-training-refused");
      await adminSql()`delete from private.fine_tuned_models where id = ${modelId}`;
    } finally {
      await reader.close();
    }
  }, 60_000);
});
