import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStoryvoiceClient, StoryvoiceError } from "../../sdk/index.ts";
import { speechSampleCount } from "../../supabase/local/openai-simulator/wav.ts";
import { useExclusive } from "../support/exclusive.ts";
import { callFunction } from "../support/http.ts";
import { assertDocumentedResponse } from "../support/openapi-contract.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, closeAdminSql, createUser, deleteUsers, stack, type TestUser } from "../support/stack.ts";

// Speech over HTTP: the functions served by Deno call the stack's simulator (TTS_BASE_URL is
// configured by the stack), which speaks WAV whose length follows the text. Only faults on
// /v1/audio/speech are injected, which only the browser's speech suite also calls: the two never
// run at the same time.

const bookInfo = { title: "Shirley", author: "Charlotte Brontë", description: "Mill owners and Luddites in Yorkshire." };

/** POSTs to fine-tune-speech and reads the audio as it streams, chunk by chunk. */
async function speak(token: string | undefined, modelId: string, body: unknown) {
  const url = `${stack().functionsUrl}/fine-tune-speech/${modelId}`;
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const chunks: Uint8Array[] = [];
  const reader = response.body!.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  const text = new TextDecoder().decode(bytes);
  assertDocumentedResponse("POST", url, { status: response.status, headers: response.headers, text });
  const json = response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, bytes, chunks: chunks.length, json };
}

async function injectSpeechFault(fault: Record<string, unknown>) {
  const response = await fetch(`${stack().simulatorUrl}/__simulator/inject`, {
    method: "POST",
    body: JSON.stringify({ method: "POST", path: "/v1/audio/speech", ...fault }),
    signal: AbortSignal.timeout(5_000),
  });
  expect(response.status).toBe(200);
}

async function speechRequests(): Promise<{ input: string; voice: string; response_format: string }[]> {
  const response = await fetch(`${stack().simulatorUrl}/__simulator/state`, { signal: AbortSignal.timeout(5_000) });
  return (await response.json()).speechRequests;
}

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.slice(from, to));

useExclusive("simulator speech");

describe("speech over HTTP", () => {
  let owner: TestUser;
  let other: TestUser;
  let modelId: string;

  beforeAll(async () => {
    owner = await createUser("speech-owner");
    other = await createUser("speech-other");
    const created = await callFunction("fine-tune-quick", {
      token: owner.token,
      body: {
        type: "character",
        entityName: "Shirley Keeldar",
        description: "An heiress who owns the mill land and speaks her mind.",
        bookId: `shirley-${crypto.randomUUID()}`,
        bookInfo,
        voice: "nova",
      },
    });
    expect(created.status).toBe(202);
    expect(created.json.model.voice).toBe("nova");
    modelId = created.json.model.id;
  });

  afterAll(async () => {
    await deleteUsers(owner, other);
    await closeAdminSql();
  });

  it("lists the voices a persona may have, and refuses another at creation", async () => {
    const options = await callFunction("fine-tune-speech", { token: owner.token });
    expect(options.status).toBe(200);
    expect(options.json).toMatchObject({ success: true, configured: true, defaultVoice: "alloy", formats: ["mp3", "wav"], maxCharacters: 4096 });
    expect(options.json.voices).toContain("nova");
    expect((await callFunction("fine-tune-speech")).status).toBe(401);

    const refused = await callFunction("fine-tune-quick", {
      token: owner.token,
      body: { type: "author", entityName: "Charlotte Brontë", description: "The author.", bookId: "shirley", bookInfo, voice: "gravel" },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error.details).toEqual([{ path: ["voice"], message: "Not one of the voices of GET /fine-tune-speech" }]);
  });

  it("speaks text as a WAV whose header and length follow the text, streamed in chunks, in the persona's voice", async () => {
    const text = "I am an esquire: Shirley Keeldar, Esquire, ought to be my style and title.";
    const spoken = await speak(owner.token, modelId, { text, format: "wav" });
    expect(spoken.status).toBe(200);
    expect(spoken.headers.get("content-type")).toBe("audio/wav");
    expect(spoken.headers.get("x-speech-voice")).toBe("nova");
    expect(spoken.headers.get("x-speech-characters")).toBe(String(text.length));
    const view = new DataView(spoken.bytes.buffer);
    expect(ascii(spoken.bytes, 0, 4)).toBe("RIFF");
    expect(ascii(spoken.bytes, 8, 16)).toBe("WAVEfmt ");
    expect(view.getUint16(20, true)).toBe(1); // PCM
    expect(view.getUint16(34, true)).toBe(16); // bits per sample
    const sampleRate = view.getUint32(24, true);
    const dataBytes = view.getUint32(40, true);
    expect(dataBytes).toBe(speechSampleCount(text) * 2);
    expect(spoken.bytes.length).toBe(44 + dataBytes);
    expect(dataBytes / 2 / sampleRate).toBeGreaterThan(text.length * 0.05);
    expect(spoken.chunks).toBeGreaterThan(1);
    expect((await speechRequests()).findLast((request) => request.input === text)).toMatchObject({ voice: "nova", response_format: "wav" });
  });

  it("reads the caller's own reply aloud as MP3, and the owner's new voice after an edit through the Data API", async () => {
    const [chat] = await adminSql()<{ id: string }[]>`
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response)
      values (${modelId}, ${owner.id}, ${crypto.randomUUID()}, 'Will you marry?', 'Not a man who wants my land.')
      returning id`;
    const edited = await fetch(`${stack().functionsUrl.replace(/\/functions\/v1$/, "")}/rest/v1/fine_tuned_models?id=eq.${modelId}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${owner.token}`, "Content-Type": "application/json", Prefer: "return=representation" },
      body: JSON.stringify({ voice: "onyx" }),
    });
    expect(edited.status).toBe(200);
    const spoken = await speak(owner.token, modelId, { chatId: chat.id });
    expect(spoken.status).toBe(200);
    expect(spoken.headers.get("content-type")).toBe("audio/mpeg");
    expect([spoken.bytes[0], spoken.bytes[1]]).toEqual([0xff, 0xfb]);
    expect((await speechRequests()).findLast((request) => request.input === "Not a man who wants my land."))
      .toMatchObject({ voice: "onyx", response_format: "mp3" });
  });

  it("refuses bad bodies (422), no token (401), and what the caller may not read (404)", async () => {
    for (const [body, path] of [
      [{}, ["text"]],
      [{ text: "x".repeat(4097) }, ["text"]],
      [{ text: "Hello", chatId: crypto.randomUUID() }, ["text"]],
      [{ text: "Hello", format: "ogg" }, ["format"]],
      [{ chatId: "not-a-uuid" }, ["chatId"]],
    ] as const) {
      const refused = await speak(owner.token, modelId, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(refused.json.error.code).toBe("validation_failed");
      expect(refused.json.error.details[0].path).toEqual(path);
    }
    expect((await speak(undefined, modelId, { text: "Hello" })).status).toBe(401);

    // A private model of another user, and another reader's exchange with a public model.
    expect((await speak(other.token, modelId, { text: "Hello" })).status).toBe(404);
    const publicModel = await insertModel(owner.id, { entity_name: "Caroline Helstone", is_public: true });
    const [theirs] = await adminSql()<{ id: string }[]>`
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response)
      values (${publicModel}, ${other.id}, ${crypto.randomUUID()}, 'Are you well?', 'Quite well, thank you.')
      returning id`;
    expect((await speak(other.token, publicModel, { chatId: theirs.id })).status).toBe(200);
    const notYours = await speak(owner.token, publicModel, { chatId: theirs.id });
    expect(notYours.status).toBe(404);
    expect(notYours.json.error).toEqual({ code: "not_found", message: "No such reply." });
    expect((await speak(owner.token, crypto.randomUUID(), { text: "Hello" })).status).toBe(404);
  });

  it("answers an upstream failure as a retryable 502, and a rate limit as a retryable 503", async () => {
    await injectSpeechFault({ kind: "status", status: 500 });
    const failed = await speak(owner.token, modelId, { text: "Hello" });
    expect(failed.status).toBe(502);
    expect(failed.json.error).toMatchObject({ code: "provider_error", retryable: true });

    await injectSpeechFault({ kind: "status", status: 429 });
    const limited = await speak(owner.token, modelId, { text: "Hello" });
    expect(limited.status).toBe(503);
    expect(limited.json.error).toMatchObject({ code: "provider_unavailable", retryable: true });
  });

  it("is one SDK call: the options, the audio as a Blob or a stream, and the owner's voice", async () => {
    const api = createStoryvoiceClient({ url: stack().functionsUrl.replace(/\/functions\/v1$/, ""), auth: () => owner.token });
    expect((await api.speechOptions()).configured).toBe(true);
    const blob = await api.speak(modelId, { text: "Reader, I married him.", format: "wav" });
    expect(blob.type).toBe("audio/wav");
    expect(blob.size).toBe(44 + speechSampleCount("Reader, I married him.") * 2);
    const streamed = await api.speakStream(modelId, { text: "Reader." });
    expect(streamed.contentType).toBe("audio/mpeg");
    expect((await new Response(streamed.stream).arrayBuffer()).byteLength % 96).toBe(0);
    expect((await api.setVoice(modelId, "sage")).voice).toBe("sage");
    const sage = await api.speakStream(modelId, { text: "Reader.", format: "wav" });
    expect(sage.voice).toBe("sage");
    await sage.stream.cancel();
    const refused = await api.speak(modelId, { text: "" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoryvoiceError);
    expect((refused as StoryvoiceError).status).toBe(422);
  });
});
