import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { signLocalToken } from "../../../supabase/local/dev-keys.ts";
import { stack } from "../../support/stack.ts";
import { serveStatic, sharedAppBuild } from "./app-build.ts";

/** The reader app's production build, as a suite serves it: its folder and its URL. */
export interface ServedApp {
  outDir: string;
  url: string;
}

/**
 * Serves the app, built against the test stack once for the whole run, statically for the calling
 * suite. Read the result inside tests (it is set in `beforeAll`).
 */
export function useServedApp(): ServedApp {
  const served = { outDir: "", url: "" };
  let app: Awaited<ReturnType<typeof serveStatic>> | undefined;
  beforeAll(async () => {
    const supabaseUrl = stack().functionsUrl.replace(/\/functions\/v1$/, "");
    served.outDir = await sharedAppBuild(join(stack().scratchDir, "app"), async () => ({
      supabaseUrl,
      anonKey: await signLocalToken({ role: "anon" }, "2h"),
    }));
    app = await serveStatic(served.outDir);
    served.url = app.url;
  }, 300_000);
  // The build itself goes with the run's scratch folder.
  afterAll(async () => {
    await app?.close();
  });
  return served;
}

/** Signs a new reader up from the sign-in screen, as a person would, and waits for AI Models. */
export async function signUp(page: Page, appUrl: string, email: string) {
  await page.goto(appUrl);
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "AI Models" }).isVisible()).toBe(true);
}

/** What the create form asks of a character and its book. */
export interface CharacterForm {
  about: string;
  bookTitle: string;
  bookAuthor: string;
  aboutBook: string;
}

export const MR_DARCY: CharacterForm = {
  about: "Proud, reserved and honest to a fault; master of Pemberley.",
  bookTitle: "Pride and Prejudice",
  bookAuthor: "Jane Austen",
  aboutBook: "Elizabeth Bennet and Mr Darcy overcome pride and prejudice.",
};

/** Creates a quick character through the create screen, as a reader would, and waits for its chat. */
export async function createQuickCharacter(page: Page, appUrl: string, name: string, form: CharacterForm = MR_DARCY) {
  await page.goto(`${appUrl}#/new`);
  await page.getByLabel("Character's name").fill(name);
  await page.getByLabel("About the character").fill(form.about);
  await page.getByLabel("Book title").fill(form.bookTitle);
  await page.getByLabel("Book author").fill(form.bookAuthor);
  await page.getByLabel("About the book").fill(form.aboutBook);
  await page.getByRole("button", { name: "Create quick AI" }).click();
  await expect.poll(() => page.getByRole("heading", { name, level: 1 }).isVisible()).toBe(true);
}
