import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { signLocalToken } from "../../supabase/local/dev-keys.ts";
import { createStoryvoiceClient } from "../../sdk/index.ts";
import { adminSql, stack } from "../support/stack.ts";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot } from "./support/browser.ts";
import { closeModelMenu, openModelMenu } from "./support/model-menu.ts";
import { createQuickCharacter, signUp, useServedApp } from "./support/served-app.ts";

// Memory the reader can see and who they are, in the reader app's production build at a phone and
// a desktop viewport: pin a reply, see it used 40 exchanges later (those driven through the API to
// keep the file fast), and choose who I am.

const app = useServedApp();

/** The signed-in reader of `email` as the SDK sees them, for driving exchanges through the API. */
async function apiAs(email: string) {
  const [user] = await adminSql()<{ id: string }[]>`select id from auth.users where email = ${email}`;
  const token = await signLocalToken({ sub: user.id, role: "authenticated", email });
  return { userId: user.id, api: createStoryvoiceClient({ url: stack().functionsUrl.replace(/\/functions\/v1$/, ""), auth: () => token }) };
}

async function send(page: Page, name: string, text: string) {
  await page.getByLabel(`Message ${name}`).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

describe.each([PHONE, DESKTOP])("memory and who I am on a $name", (viewport) => {
  it("pins a reply, sees it remembered 40 exchanges later, and chooses who I am", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      const name = `Mr Darcy ${suffix}`;
      const email = `memory-${suffix}@example.test`;
      await signUp(page, app.url, email);
      await createQuickCharacter(page, app.url, name);
      const modelId = /#\/models\/([0-9a-f-]{36})/.exec(page.url())![1];

      await send(page, name, "My sister is called Philippa.");
      const pin = page.getByRole("button", { name: "Pin reply as a memory" });
      await expect.poll(() => pin.count(), { timeout: 20_000 }).toBe(1);
      await pin.click();
      await expect.poll(() => page.getByRole("button", { name: "Pinned reply as a memory" }).count()).toBe(1);

      // 40 more exchanges of the same conversation, through the API.
      const { userId, api } = await apiAs(email);
      const [{ conversation_id: conversationId }] = await adminSql()<{ conversation_id: string }[]>`
        select conversation_id from public.fine_tuned_chats where user_id = ${userId}`;
      // Eight at a time: the database orders each conversation's exchanges as they are stored.
      for (let batch = 0; batch < 5; batch++) {
        await Promise.all(Array.from({ length: 8 }, (_, i) =>
          api.chat(modelId, { message: `Tell me more, part ${batch * 8 + i + 1}.`, conversationId })));
      }

      // Who I am: a new persona, chosen for this conversation (on a phone, in the model menu).
      await openModelMenu(page, viewport);
      await page.getByText("Who I am", { exact: true }).click();
      await page.getByLabel("Persona name").fill("Captain Wentworth");
      await page.getByLabel("About me").fill("A naval officer home from the sea.");
      await page.getByRole("button", { name: "Add persona" }).click();
      await expect.poll(() => page.getByText("Who I am: Captain Wentworth").count()).toBe(1);
      await expectAccessible(page, "who-i-am");
      await screenshot(page, viewport, "who-i-am");
      await closeModelMenu(page, viewport);

      await send(page, name, "What is my sister called?");
      const remembered = page.getByText(/Remembered/);
      await expect.poll(() => remembered.count(), { timeout: 20_000 }).toBe(1);
      await remembered.click();
      const given = page.getByRole("list", { name: "Memories given for this reply" });
      await expect.poll(async () => (await given.textContent()) ?? "").toContain("My sister is called Philippa.");
      await expectAccessible(page, "remembered");
      await screenshot(page, viewport, "remembered");

      const [choice] = await adminSql()<{ name: string; exchanges: number }[]>`
        select p.name, (select count(*)::integer from public.fine_tuned_chats c where c.conversation_id = ${conversationId}) as exchanges
        from public.conversation_reader_personas r join public.reader_personas p on p.id = r.reader_persona_id
        where r.user_id = ${userId} and r.conversation_id = ${conversationId}`;
      expect(choice).toEqual({ name: "Captain Wentworth", exchanges: 42 });

      // The Memories panel lists the pinned reply, to edit or delete.
      await openModelMenu(page, viewport);
      await page.getByText(/^Memories \(1\)$/).click();
      const pinned = page.getByRole("list", { name: "Pinned memories" });
      await expect.poll(async () => (await pinned.textContent()) ?? "").toContain("Philippa");
      await pinned.getByRole("button", { name: "Delete memory" }).click();
      await expect.poll(() => page.getByText(/^Memories \(0\)$/).count()).toBe(1);
    } finally {
      await reader.close();
    }
  }, 120_000);
});
