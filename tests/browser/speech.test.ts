import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { speechDurationSeconds } from "../../supabase/local/openai-simulator/wav.ts";
import { useExclusive } from "../support/exclusive.ts";
import { DESKTOP, expectAccessible, openBrowser, PHONE, screenshot } from "./support/browser.ts";
import { closeModelMenu, openModelMenu } from "./support/model-menu.ts";
import { signUp, useServedApp } from "./support/served-app.ts";

// Replies read aloud in the reader app's production build: a voice chosen at creation, a reply
// played in a real <audio> element (the stack's simulator speaks WAV whose length follows the
// text), the owner choosing another voice, and voice conversation where the browser cannot listen.

const app = useServedApp();
// The over-HTTP speech suite arms faults on the simulator's speech: never at the same time.
useExclusive("simulator speech");

/** Waits for the next speech request's answer, and tells what was asked and who spoke. */
function nextSpeech(page: Page) {
  return page.waitForResponse((response) => response.url().includes("/fine-tune-speech/") && response.request().method() === "POST")
    .then(async (response) => ({
      status: response.status(),
      voice: await response.headerValue("x-speech-voice"),
      text: (response.request().postDataJSON() as { text?: string }).text ?? "",
    }));
}

/** The <audio> element's duration once its metadata has loaded (NaN before). */
async function audioDuration(page: Page): Promise<number> {
  return await page.getByLabel("Reply read aloud").evaluate((audio: HTMLAudioElement) =>
    audio.readyState >= 1 ? audio.duration : Number.NaN
  );
}

describe.each([PHONE, DESKTOP])("replies read aloud on a $name", (viewport) => {
  it("creates a persona with a voice, plays a reply whose length follows its text, changes the voice, and says voice conversation is not available", async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page } = reader;
      const suffix = crypto.randomUUID().slice(0, 6);
      const name = `Jane Eyre ${suffix}`;
      await signUp(page, app.url, `speech-${suffix}@example.test`);

      // Create: the voice picker lists the deployment's voices.
      await page.goto(`${app.url}#/new`);
      const picker = page.getByLabel("Voice");
      await expect.poll(() => picker.isVisible()).toBe(true);
      await picker.selectOption("nova");
      await page.getByLabel("Character's name").fill(name);
      await page.getByLabel("About the character").fill("A governess of plain looks and fierce conscience.");
      await page.getByLabel("Book title").fill("Jane Eyre");
      await page.getByLabel("Book author").fill("Charlotte Brontë");
      await page.getByLabel("About the book").fill("An orphan becomes a governess at Thornfield Hall.");
      await expectAccessible(page, "create-voice");
      await screenshot(page, viewport, "create-voice");
      await page.getByRole("button", { name: "Create quick AI" }).click();
      await expect.poll(() => page.getByRole("heading", { name, level: 1 }).isVisible()).toBe(true);

      // A reply, then its play button.
      const log = page.getByRole("log", { name: "Messages" });
      await page.getByLabel(`Message ${name}`).fill("Do you regret leaving Thornfield?");
      await page.getByRole("button", { name: "Send" }).click();
      await expect.poll(async () => (await log.textContent()) ?? "", { timeout: 20_000 }).toContain("Do you regret leaving Thornfield?");
      await expect.poll(() => log.locator("[aria-busy]").count(), { timeout: 20_000 }).toBe(0);
      const play = log.getByRole("button", { name: "Play reply" });
      // The reply's is the last (the greeting's, once written, comes first).
      await expect.poll(() => play.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);

      const spoken = nextSpeech(page);
      await play.last().click();
      const first = await spoken;
      expect(first.status).toBe(200);
      expect(first.voice).toBe("nova");
      expect(first.text.length).toBeGreaterThan(20);
      await expect.poll(() => audioDuration(page), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await audioDuration(page)).toBeCloseTo(speechDurationSeconds(first.text), 2);
      expect(await page.getByRole("alert").count()).toBe(0);
      await expectAccessible(page, "chat-speech");
      await screenshot(page, viewport, "chat-speech");

      // The owner picks another voice; the next reading uses it.
      await openModelMenu(page, viewport);
      const ownerVoice = page.getByLabel("Voice");
      expect(await ownerVoice.inputValue()).toBe("nova");
      await ownerVoice.selectOption("onyx");
      await expect.poll(() => ownerVoice.isDisabled()).toBe(false);
      await closeModelMenu(page, viewport);
      // (As if the reader paused it with the device's media keys: the button plays again.)
      await page.getByLabel("Reply read aloud").evaluate((audio: HTMLAudioElement) => audio.pause());
      const again = nextSpeech(page);
      await play.last().click();
      expect((await again).voice).toBe("onyx");

      // Voice conversation: headless Chromium has the recognizer but refuses to listen; the app says so.
      await page.getByRole("button", { name: "Voice conversation" }).click();
      const notice = page.getByRole("alert");
      await expect.poll(() => notice.textContent()).toMatch(/^Voice conversation is not available/);
      expect(await notice.textContent()).toContain("“Play reply” still reads each reply aloud");
      expect(await page.getByRole("button", { name: "Voice conversation" }).getAttribute("aria-pressed")).toBe("false");
      await expectAccessible(page, "voice-unavailable");
      await screenshot(page, viewport, "voice-unavailable");
    } finally {
      await reader.close();
    }
  }, 120_000);
});

// The voice conversation loop itself needs a recognizer that hears something: headless Chromium's
// refuses, so this page gets a scripted one (the recognition service's stand-in, as the simulator
// is the speech provider's) that "hears" the utterances given, then listens in silence. Each speech
// request notes whether the reply was still streaming when it was made.
const scriptedRecognizer = (utterances: string[]) => `
  window.__utterances = ${JSON.stringify(utterances)};
  window.__recognizers = 0;
  window.__speech = [];
  const realFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === "string" ? input : input.url;
    if (url.includes("/fine-tune-speech/") && init?.method === "POST") {
      window.__speech.push({ text: JSON.parse(init.body).text, streaming: !!document.querySelector(".bubble[aria-busy]") });
    }
    return realFetch(input, init);
  };
  class ScriptedRecognition {
    constructor() { window.__recognizers++; }
    start() {
      const said = window.__utterances.shift();
      if (!said) return; // silence: it listens on
      setTimeout(() => {
        this.onresult?.({ results: [Object.assign([{ transcript: said }], { isFinal: true })] });
        this.onend?.();
      }, 50);
    }
    abort() {}
  }
  window.SpeechRecognition = ScriptedRecognition;
  window.webkitSpeechRecognition = ScriptedRecognition;
`;

type Spoken = { text: string; streaming: boolean };
const speechAsked = (page: Page) => page.evaluate(() => (window as unknown as { __speech: Spoken[] }).__speech);
const recognizers = (page: Page) => page.evaluate(() => (window as unknown as { __recognizers: number }).__recognizers);

// Long enough that the reply (which quotes it) streams on well after its first sentence.
const QUESTION = "Tell me plainly. What became of the first Mrs Rochester, and why did you keep her hidden for so many years at Thornfield?";
const INTERRUPTION = "Enough of that. Tell me about Adele.";

describe.each([PHONE, DESKTOP])("a voice conversation that keeps pace on a $name", (viewport) => {
  // The phone's reader talks over the reading; the desktop's presses Stop.
  const bargesIn = viewport === PHONE;
  it(`reads the first sentence while the reply still streams, then ${bargesIn ? "stops when the reader talks" : "stops on Stop"}`, async () => {
    const reader = await openBrowser(viewport);
    try {
      const { page, context } = reader;
      await context.addInitScript(scriptedRecognizer(bargesIn ? [QUESTION, INTERRUPTION] : [QUESTION]));
      const suffix = crypto.randomUUID().slice(0, 6);
      const name = `Edward Rochester ${suffix}`;
      await signUp(page, app.url, `voice-${suffix}@example.test`);
      await page.goto(`${app.url}#/new`);
      await page.getByLabel("Character's name").fill(name);
      await page.getByLabel("About the character").fill("The brooding master of Thornfield Hall.");
      await page.getByLabel("Book title").fill("Jane Eyre");
      await page.getByLabel("Book author").fill("Charlotte Brontë");
      await page.getByLabel("About the book").fill("An orphan becomes a governess at Thornfield Hall.");
      await page.getByRole("button", { name: "Create quick AI" }).click();
      await expect.poll(() => page.getByRole("heading", { name, level: 1 }).isVisible()).toBe(true);

      const spoken = nextSpeech(page);
      spoken.catch(() => {}); // awaited below; a failure before that closes the page under it
      await page.getByRole("button", { name: "Voice conversation" }).click();
      const log = page.getByRole("log", { name: "Messages" });
      await expect.poll(async () => (await log.textContent()) ?? "", { timeout: 20_000 }).toContain("Tell me plainly.");
      // The first sentence alone (the simulator's reply quotes the question), asked for mid-stream
      // (requests in the order made: the next sentence's may answer first, fetched alongside).
      await expect.poll(async () => (await speechAsked(page)).length, { timeout: 20_000 }).toBeGreaterThan(0);
      const [first] = await speechAsked(page);
      expect(first.text).toMatch(/Tell me plainly\.$/);
      expect(first.streaming).toBe(true);
      expect((await spoken).status).toBe(200);

      if (bargesIn) {
        // Once the reply is written the app listens over the reading; the reader's words stop it
        // and are sent, and the next reply is read in turn.
        await expect.poll(async () => (await log.textContent()) ?? "", { timeout: 20_000 }).toContain(INTERRUPTION);
        await expect.poll(async () => (await speechAsked(page)).some((s) => s.text.includes("Enough of that.")), { timeout: 20_000 }).toBe(true);
        expect(await recognizers(page)).toBeGreaterThanOrEqual(2);
      } else {
        const stop = page.getByRole("button", { name: "Stop speaking" });
        await expect.poll(() => stop.isVisible(), { timeout: 15_000 }).toBe(true);
        await expectAccessible(page, "voice-speaking");
        await screenshot(page, viewport, "voice-speaking");
        await stop.click();
        await expect.poll(() => stop.count()).toBe(0);
        expect(await page.getByLabel("Reply read aloud").evaluate((audio: HTMLAudioElement) => audio.paused)).toBe(true);
        // The reply written, the app listens again (it did while reading).
        await expect.poll(() => page.getByRole("status").filter({ hasText: "Listening" }).count(), { timeout: 15_000 }).toBe(1);
        expect(await recognizers(page)).toBe(2);
      }
      expect(await page.getByRole("alert").count()).toBe(0);
      expect(await page.getByRole("button", { name: "Voice conversation" }).getAttribute("aria-pressed")).toBe("true");
      await screenshot(page, viewport, "voice-listening");
      await page.getByRole("button", { name: "Voice conversation" }).click();
      expect(await page.getByRole("button", { name: "Voice conversation" }).getAttribute("aria-pressed")).toBe("false");
    } finally {
      await reader.close();
    }
  }, 120_000);
});
