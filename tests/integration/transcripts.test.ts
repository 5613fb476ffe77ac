import { beforeEach, describe, expect, it } from "vitest";
import transcript from "../../functions/fine-tune-transcript/handler.ts";
import rating from "../../functions/fine-tune-chat-rating/handler.ts";
import examples from "../../functions/fine-tune-examples/handler.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { callHandler } from "../support/handler-call.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";
import { readAsSillyTavern, sillyTavernFixture, unzipText } from "../support/sillytavern-chat.ts";

// GET and POST /fine-tune-transcript in-process, each suite on its own database: RLS decides whose
// conversations may be read, exported and imported into.

useSuiteDatabase();
beforeEach(() => useStackEnvironment());

const url = (path = "", query = "") => `http://localhost/functions/v1/fine-tune-transcript${path}${query}`;

async function exportAs(user: TestUser, path: string, query = "") {
  const response = await transcript(new Request(url(path, query), { headers: { Authorization: `Bearer ${user.token}` } }));
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

async function importAs(user: TestUser, body: unknown) {
  const response = await transcript(new Request(url(), {
    method: "POST",
    headers: { Authorization: `Bearer ${user.token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  }));
  return { status: response.status, json: await response.json() };
}

/** A one-to-one conversation of `user` with `modelId`, stored as the chat endpoint stores it. */
async function arrangeChat(user: TestUser, modelId: string, exchanges: [string, string][]) {
  const conversationId = crypto.randomUUID();
  await adminSql()`
    insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, used_fallback)
    select ${modelId}, ${user.id}, ${conversationId}, e.q, e.a, true
    from jsonb_to_recordset(${adminSql().json(exchanges.map(([q, a], n) => ({ n, q, a })) as never)}::jsonb)
      as e (n integer, q text, a text)
    order by e.n`;
  return conversationId;
}

const lines = (text: string) => text.trimEnd().split("\n").map((line) => JSON.parse(line));

describe("fine-tune-transcript", () => {
  it("exports a one-to-one conversation as JSON lines, text and Markdown", async () => {
    const reader = await createUser("reader");
    const modelId = await insertModel(reader.id, { entity_name: "Elizabeth Bennet" });
    const conversationId = await arrangeChat(reader, modelId, [["Do you dance?", "Only with the right partner."], ["Mr Darcy?", "Never."]]);

    const jsonl = await exportAs(reader, `/${conversationId}`);
    expect(jsonl.status).toBe(200);
    expect(jsonl.type).toMatch(/^application\/x-ndjson/);
    const [header, ...messages] = lines(jsonl.text);
    expect(header).toMatchObject({
      user_name: "You",
      character_name: "Elizabeth Bennet",
      chat_metadata: { storyvoice: { conversationId, kind: "one-to-one", participants: [{ modelId, name: "Elizabeth Bennet" }] } },
    });
    expect(messages.map((line) => [line.name, line.is_user, line.mes])).toEqual([
      ["You", true, "Do you dance?"],
      ["Elizabeth Bennet", false, "Only with the right partner."],
      ["You", true, "Mr Darcy?"],
      ["Elizabeth Bennet", false, "Never."],
    ]);
    expect(messages[1].extra).toEqual({ model_id: modelId, used_fallback: true });
    expect(messages[0].send_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const text = await exportAs(reader, `/${conversationId}`, "?format=txt");
    expect(text.type).toMatch(/^text\/plain/);
    expect(text.text).toMatch(/^Conversation with Elizabeth Bennet\n/);
    expect(text.text).toContain("Elizabeth Bennet (");
    expect(text.text).toContain("): Never.");
    const markdown = await exportAs(reader, `/${conversationId}`, "?format=md");
    expect(markdown.type).toMatch(/^text\/markdown/);
    expect(markdown.text).toMatch(/^# Conversation with Elizabeth Bennet\n/);
    expect(markdown.text).toContain("**You** · ");
  });

  it("exports a group conversation with each speaker's name, in order", async () => {
    const reader = await createUser("reader");
    const darcy = await insertModel(reader.id, { entity_name: "Mr Darcy", is_public: true });
    const lizzy = await insertModel(reader.id, { entity_name: "Elizabeth Bennet", is_public: true });
    const [{ id }] = await adminSql()`insert into public.group_conversations (user_id) values (${reader.id}) returning id`;
    await adminSql()`
      insert into public.group_conversation_participants (conversation_id, model_id, position)
      values (${id}, ${darcy}, 1), (${id}, ${lizzy}, 2)`;
    await adminSql().begin(async (tx) => {
      await tx`insert into public.group_messages (conversation_id, user_id, role, content) values (${id}, ${reader.id}, 'user', 'Well?')`;
      await tx`insert into public.group_messages (conversation_id, user_id, role, model_id, speaker_name, content, used_fallback)
               values (${id}, ${reader.id}, 'assistant', ${darcy}, 'Mr Darcy', 'I am not fond of crowds.', true)`;
      await tx`insert into public.group_messages (conversation_id, user_id, role, model_id, speaker_name, content, used_fallback)
               values (${id}, ${reader.id}, 'assistant', ${lizzy}, 'Elizabeth Bennet', 'Nor of people, it seems.', true)`;
    });

    const { status, text } = await exportAs(reader, `/${id}`);
    expect(status).toBe(200);
    const [header, ...messages] = lines(text);
    expect(header.character_name).toBe("Mr Darcy, Elizabeth Bennet");
    expect(header.chat_metadata.storyvoice.kind).toBe("group");
    expect(messages.map((line) => [line.name, line.mes])).toEqual([
      ["You", "Well?"],
      ["Mr Darcy", "I am not fond of crowds."],
      ["Elizabeth Bennet", "Nor of people, it seems."],
    ]);
  });

  it("exports every conversation with a model as a zip of chat files, one conversation each, oldest first", async () => {
    const reader = await createUser("reader");
    const modelId = await insertModel(reader.id, {});
    const first = await arrangeChat(reader, modelId, [["One?", "One."]]);
    const second = await arrangeChat(reader, modelId, [["Two?", "Two."], ["Three?", "Three."]]);
    const response = await transcript(new Request(url("", `?modelId=${modelId}`), { headers: { Authorization: `Bearer ${reader.token}` } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="storyvoice-${modelId}.zip"`);
    const files = unzipText(new Uint8Array(await response.arrayBuffer()));
    const chats = Object.keys(files).sort().map((name) => readAsSillyTavern(files[name]));
    expect(chats.map((chat) => chat.chatMetadata.storyvoice.conversationId)).toEqual([first, second]);
    expect(chats.map((chat) => chat.chat.map((message) => message.mes))).toEqual([["One?", "One."], ["Two?", "Two.", "Three?", "Three."]]);

    // Text and Markdown stay one file, one conversation after another.
    const text = await exportAs(reader, "", `?modelId=${modelId}&format=txt`);
    expect(text.text.indexOf("One.")).toBeLessThan(text.text.indexOf("Three."));
  });

  it("imports a chat SillyTavern saved and exports it back as a chat SillyTavern reads", async () => {
    const reader = await createUser("reader");
    const modelId = await insertModel(reader.id, { entity_name: "Elizabeth Bennet" });
    for (const file of ["sillytavern-2024.jsonl", "sillytavern-integrity.jsonl"]) {
      const { status, json } = await importAs(reader, { modelId, transcript: sillyTavernFixture(file) });
      expect(status).toBe(201);
      expect(json).toMatchObject({ exchanges: 2, opening: true, skipped: { system: 1, empty: 1, swipes: 2 } });
      const exported = (await exportAs(reader, `/${json.conversationId}`)).text;
      const chat = readAsSillyTavern(exported);
      expect(chat.chatMetadata.storyvoice.conversationId).toBe(json.conversationId);
      expect(chat.chat[0]).toMatchObject({ name: "Elizabeth Bennet", extra: { model_id: modelId } });
      // Imported back, the greeting is the opening again, nothing more.
      const again = await importAs(reader, { modelId, transcript: exported });
      expect(again.json).toMatchObject({ exchanges: 2, opening: true, skipped: { system: 0, empty: 0, swipes: 0 } });
      // The greeting comes back first, the persona's, as SillyTavern's own chats begin.
      expect(chat.chat.map((message) => [message.is_user, message.mes])).toEqual([
        [false, "You find me at Netherfield, walking the long way round the shrubbery."],
        [true, "Do you dance, Miss Bennet?"],
        [false, "Only when the partner is worth the trouble."],
        [true, "And Mr Darcy?"],
        [false, "Mr Darcy dances with nobody he has not known for a twelvemonth."],
      ]);
    }
    const rows = await adminSql()`select imported from public.fine_tuned_chats where model_id = ${modelId}`;
    // Two files, each imported, exported and imported again: four conversations, each with its opening.
    expect(rows.map((row) => row.imported)).toEqual(Array(8).fill(true));
    const openings = await adminSql()`select user_id from public.conversation_openings where model_id = ${modelId}`;
    expect(openings.map((row) => row.user_id)).toEqual(Array(4).fill(reader.id));
  });

  it("imports an export as a new conversation with the same messages (a round trip)", async () => {
    const reader = await createUser("reader");
    const modelId = await insertModel(reader.id, { entity_name: "Elizabeth Bennet" });
    const original = await arrangeChat(reader, modelId, [["Do you dance?", "Only with the right partner."], ["Mr Darcy?", "Never."]]);
    const exported = (await exportAs(reader, `/${original}`)).text;

    const { status, json } = await importAs(reader, { modelId, transcript: exported });
    expect(status).toBe(201);
    expect(json).toMatchObject({ success: true, modelId, exchanges: 2 });
    expect(json.conversationId).not.toBe(original);
    const again = lines((await exportAs(reader, `/${json.conversationId}`)).text).slice(1);
    expect(again.map((line) => [line.name, line.mes])).toEqual(lines(exported).slice(1).map((line) => [line.name, line.mes]));
    // Imported words are not the model's: only the two answered exchanges count.
    const [{ chat_count }] = await adminSql()`select chat_count from public.fine_tuned_models where id = ${modelId}`;
    expect(chat_count).toBe(2);
    const imported = await adminSql()`select imported from public.fine_tuned_chats where conversation_id = ${json.conversationId}`;
    expect(imported.map((row) => row.imported)).toEqual([true, true]);
  });

  it("never takes an imported exchange as the model's words, even up-rated by its owner", async () => {
    const owner = await createUser("owner");
    const modelId = await insertModel(owner.id, { entity_name: "Anne Elliot", is_public: true });
    const transcriptText = [
      JSON.stringify({ name: "You", is_user: true, mes: "Persuaded?" }),
      JSON.stringify({ name: "Anne Elliot", is_user: false, mes: "Words the model never said." }),
    ].join("\n");
    const imported = await importAs(owner, { modelId, transcript: transcriptText });
    expect(imported.status).toBe(201);
    const [chat] = await adminSql()<{ id: string }[]>`
      select id from public.fine_tuned_chats where conversation_id = ${imported.json.conversationId}`;
    const rated = await callHandler(rating, `fine-tune-chat-rating/${chat.id}`, { method: "PUT", user: owner, body: { rating: "up" } });
    expect(rated.status).toBe(200);

    const taken = await callHandler(examples, `fine-tune-examples/${modelId}`, { user: owner, body: { fromRatedChats: true } });
    expect(taken).toEqual({ status: 201, json: { success: true, examples: [] } });
    const [{ chat_count }] = await adminSql()`select chat_count from public.fine_tuned_models where id = ${modelId}`;
    expect(chat_count).toBe(0);
  });

  it("refuses a malformed transcript whole, naming each bad line, and writes nothing", async () => {
    const reader = await createUser("reader");
    const modelId = await insertModel(reader.id, {});
    const transcriptText = [
      JSON.stringify({ name: "You", is_user: true, mes: "Hello?" }),
      JSON.stringify({ name: "Persona", is_user: false, mes: "Hello." }),
      "{not json",
      JSON.stringify({ name: "You", is_user: "yes", mes: "Hello?" }),
    ].join("\n");
    const { status, json } = await importAs(reader, { modelId, transcript: transcriptText });
    expect(status).toBe(422);
    expect(json.error.details.map((issue: { path: unknown[] }) => issue.path)).toEqual([["transcript", 3], ["transcript", 4]]);

    const unanswered = [JSON.stringify({ name: "You", is_user: true, mes: "Anyone there?" })].join("\n");
    const second = await importAs(reader, { modelId, transcript: unanswered });
    expect(second.status).toBe(422);
    expect(second.json.error.details[0].message).toMatch(/line 1: the reader's last message has no reply/);

    const [{ count }] = await adminSql()`select count(*)::int as count from public.fine_tuned_chats where model_id = ${modelId}`;
    expect(count).toBe(0);
  });

  it("lets nobody else read, export or import into a conversation or model that is not theirs", async () => {
    const owner = await createUser("owner");
    const stranger = await createUser("stranger");
    const privateModel = await insertModel(owner.id, {});
    const conversationId = await arrangeChat(owner, privateModel, [["Secret?", "Secret."]]);

    expect((await exportAs(stranger, `/${conversationId}`)).status).toBe(404);
    expect((await exportAs(stranger, "", `?modelId=${privateModel}`)).status).toBe(404);
    const line = JSON.stringify({ name: "You", is_user: true, mes: "Hi" }) + "\n" + JSON.stringify({ name: "P", is_user: false, mes: "Hi" });
    expect((await importAs(stranger, { modelId: privateModel, transcript: line })).status).toBe(404);
    expect((await exportAs(stranger, "", "")).status).toBe(400);
    expect((await exportAs(stranger, "/not-a-uuid")).status).toBe(400);
    // Only GET takes a conversation in the path.
    const posted = await transcript(new Request(url(`/${conversationId}`), {
      method: "POST",
      headers: { Authorization: `Bearer ${stranger.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ modelId: privateModel, transcript: line }),
    }));
    expect(posted.status).toBe(404);
  });

  it("streams a 10,000-message conversation page by page", async () => {
    const reader = await createUser("reader");
    const modelId = await insertModel(reader.id, {});
    const conversationId = crypto.randomUUID();
    await adminSql()`
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response)
      select ${modelId}, ${reader.id}, ${conversationId}, 'Question ' || n, repeat('An answer of some length. ', 8)
      from generate_series(1, 5000) as n order by n`;

    const response = await transcript(new Request(url(`/${conversationId}`), { headers: { Authorization: `Bearer ${reader.token}` } }));
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let chunks = 0;
    let newlines = 0;
    for await (const chunk of response.body!) {
      chunks++;
      for (const byte of chunk) if (byte === 10) newlines++;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    // One header line and two messages per exchange, read in pages of 500 exchanges.
    expect(newlines).toBe(1 + 10_000);
    expect(chunks).toBeGreaterThanOrEqual(10);
    console.log(`10,000-message export: ${chunks} chunks, heap grew ${((peak - before) / 1e6).toFixed(1)} MB at most`);
  }, 60_000);
});
