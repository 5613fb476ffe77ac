import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { closeAdminSql, adminSql } from "../support/stack.ts";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot } from "./support/browser.ts";
import { signUp, useServedApp } from "./support/served-app.ts";

// The admin-only Analytics screen in the production build: the header link and the screen for an
// admin (app_metadata.role = admin, set by the service), charts drawn by uPlot, and neither for a
// reader, at a phone and a desktop viewport.

const app = useServedApp();
afterAll(() => closeAdminSql());

/** Makes the user an admin as the service would, then signs in again so the token carries it. */
async function becomeAdmin(page: Page, email: string) {
  await adminSql()`update auth.users set raw_app_meta_data = raw_app_meta_data || '{"role": "admin"}' where email = ${email}`;
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect.poll(() => page.getByRole("heading", { name: "AI Models" }).isVisible()).toBe(true);
}

/** Some usage to chart: a public persona with chats today and earlier, and its spend. */
async function arrangeUsage(email: string) {
  const sql = adminSql();
  const [user] = await sql<{ id: string }[]>`select id from auth.users where email = ${email}`;
  const [model] = await sql<{ id: string }[]>`
    insert into private.fine_tuned_models (name, type, entity_name, book_id, created_by, status, is_public)
    values ('Charted persona', 'character', ${`Charted ${crypto.randomUUID().slice(0, 6)}`}, 'analytics-book', ${user.id}, 'ready', true)
    returning id`;
  for (let day = 0; day < 12; day++) {
    for (let chat = 0; chat <= day % 4; chat++) {
      await sql`
        insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, created_at)
        values (${model.id}, ${user.id}, ${crypto.randomUUID()}, 'q', 'a', now() - ${`${day} days`}::interval)`;
    }
  }
  await sql`select private.record_spend(${sql.json([{ user_id: user.id, model_id: model.id, kind: "chat", provider: "openai", billed_model: "gpt-6-luna", requests: 6, input_tokens: 120000, output_tokens: 40000 }])}::jsonb)`;
  // Earlier days of the ledger, as replies answered then would have left them.
  await sql`
    insert into private.spend_ledger (day, user_id, model_id, kind, provider, billed_model, requests, input_tokens, output_tokens, cost_usd)
    select (now() at time zone 'utc')::date - d, ${user.id}, ${model.id}, 'chat', 'openai', 'gpt-6-luna', 1 + d % 4, 20000, 6000, 0.08 + (d % 3) * 0.05
    from generate_series(1, 11) d
    on conflict do nothing`;
  await sql`select private.refresh_model_popularity()`;
}

describe.each([PHONE, DESKTOP])("analytics on a $name", (viewport) => {
  it("shows an admin the Analytics link and screen with charts, and a reader neither", async () => {
    const browser = await openBrowser(viewport);
    try {
      const { page } = browser;
      const suffix = crypto.randomUUID().slice(0, 6);
      const email = `analytics-${viewport.name}-${suffix}@example.test`;
      await signUp(page, app.url, email);

      // A reader: no link, and the screen itself says it is for admins.
      expect(await page.getByRole("link", { name: "Analytics" }).count()).toBe(0);
      await page.goto(`${app.url}#/analytics`);
      await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/for admins only/);

      await arrangeUsage(email);
      await page.goto(app.url);
      await becomeAdmin(page, email);
      await page.getByRole("link", { name: "Analytics" }).click();
      await expect.poll(() => page.getByRole("heading", { name: "Analytics", level: 1 }).isVisible()).toBe(true);
      await expect.poll(() => page.getByRole("status").filter({ hasText: /Figures as of/ }).count(), { timeout: 15_000 }).toBe(1);

      const chats = page.getByRole("img", { name: /^Chats and users per day/ });
      await expect.poll(() => chats.isVisible()).toBe(true);
      // uPlot drew into the figure: its canvas, and the legend naming each series.
      expect(await chats.locator("canvas").count()).toBe(1);
      expect(await page.getByRole("img", { name: /^Provider spend per day/ }).locator("canvas").count()).toBe(1);
      const popular = page.getByRole("region", { name: "Popular personas" });
      await expect.poll(() => popular.getByRole("rowheader", { name: /Charted persona/ }).count()).toBeGreaterThanOrEqual(1);
      expect(await page.getByRole("region", { name: "Spend by provider and model" }).getByRole("cell", { name: "gpt-6-luna" }).count()).toBeGreaterThanOrEqual(1);
      // An admin's header has one link more: every control of it stays on screen, the page never scrolls sideways.
      const signOut = await page.getByRole("button", { name: "Sign out" }).boundingBox();
      expect(signOut!.x >= 0 && signOut!.x + signOut!.width <= viewport.width).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await expectAccessible(page, "analytics");
      await screenshot(page, viewport, "analytics");
    } finally {
      await browser.close();
    }
  }, 120_000);
});
