import { afterAll, describe, expect, it } from "vitest";
import { callFunction } from "../support/http.ts";
import { insertModel } from "../support/models.ts";
import { sillyTavernFixture } from "../support/sillytavern-chat.ts";
import { adminSql, closeAdminSql, createUser } from "../support/stack.ts";

// Transcripts over HTTP: every answer (JSON lines, text, Markdown, JSON) is checked against openapi.json.
describe("transcripts over HTTP", () => {
  afterAll(closeAdminSql);

  it("exports a conversation in each format and imports it back", async () => {
    const reader = await createUser("transcripts");
    const modelId = await insertModel(reader.id, { entity_name: "Charlotte Lucas" });
    const conversationId = crypto.randomUUID();
    await adminSql()`
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response)
      values (${modelId}, ${reader.id}, ${conversationId}, 'Why Mr Collins?', 'I am not romantic, you know.')`;

    const jsonl = await callFunction(`fine-tune-transcript/${conversationId}`, { token: reader.token });
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get("content-disposition")).toBe(`attachment; filename="storyvoice-${conversationId}.jsonl"`);
    for (const format of ["txt", "md"]) {
      const other = await callFunction(`fine-tune-transcript/${conversationId}?format=${format}`, { token: reader.token });
      expect(other.status).toBe(200);
      expect(other.text).toContain("I am not romantic, you know.");
    }
    // By model, JSON lines come as a zip: one chat file per conversation.
    const all = await callFunction(`fine-tune-transcript?modelId=${modelId}`, { token: reader.token });
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toBe("application/zip");

    const imported = await callFunction("fine-tune-transcript", { token: reader.token, body: { modelId, transcript: jsonl.text } });
    expect(imported.status).toBe(201);
    expect(imported.json).toMatchObject({ success: true, modelId, exchanges: 1, opening: false, skipped: { system: 0, empty: 0, swipes: 0 } });
    const sillyTavern = await callFunction("fine-tune-transcript", {
      token: reader.token,
      body: { modelId, transcript: sillyTavernFixture("sillytavern-integrity.jsonl") },
    });
    expect(sillyTavern.status).toBe(201);
    expect(sillyTavern.json).toMatchObject({ exchanges: 2, opening: true, skipped: { system: 1, empty: 1, swipes: 2 } });
    // The conversation list gives the kept greeting back as the conversation's opening.
    const listed = await callFunction(`fine-tune-conversations/${modelId}`, { token: reader.token });
    expect(listed.status).toBe(200);
    const openings = Object.fromEntries(listed.json.conversations.map((c: { conversationId: string; opening: string | null }) => [c.conversationId, c.opening]));
    expect(openings[sillyTavern.json.conversationId]).toBe("You find me at Netherfield, walking the long way round the shrubbery.");
    expect(openings[imported.json.conversationId]).toBeNull();
    const bad = await callFunction("fine-tune-transcript", { token: reader.token, body: { modelId, transcript: "{" } });
    expect(bad.status).toBe(422);
    expect((await callFunction(`fine-tune-transcript/${crypto.randomUUID()}`, { token: reader.token })).status).toBe(404);
  });
});
