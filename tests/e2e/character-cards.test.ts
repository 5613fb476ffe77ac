import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64ToUtf8, buildPngWithText, bytesToBase64, readPngTextChunks, utf8ToBase64 } from "../../shared/models/card-png.ts";
import { largeCardPng, seraphinaJson, wrapped } from "../support/card-fixtures.ts";
import { callFunction } from "../support/http.ts";
import { closeAdminSql, createUser, deleteUsers, stack, type TestUser } from "../support/stack.ts";

// Character Cards over HTTP (functions served by Deno): a PNG card built here imports, its model
// exports as JSON and PNG, and the exported PNG imports again as the same persona; a real card
// with a 4 MB picture imports.

describe("character cards over HTTP", () => {
  let owner: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    owner = await createUser("cards-owner");
    other = await createUser("cards-other");
  });

  afterAll(async () => {
    await deleteUsers(owner, other);
    await closeAdminSql();
  });

  it("imports a V3 PNG card, exports it as JSON and PNG, and the PNG imports as the same persona", async () => {
    const card = {
      spec: "chara_card_v3",
      spec_version: "3.0",
      data: {
        name: "Heathcliff",
        description: "A foundling raised at Wuthering Heights, fierce and unforgiving.",
        first_mes: "What do you want at the Heights, {{user}}?",
        alternate_greetings: ["Cathy? Is it you, {{user}}?", "Get out of my sight."],
        mes_example: "<START>\n{{user}}: Do you love her?\n{{char}}: I cannot live without my life.",
        tags: ["gothic"],
      },
    };
    const png = bytesToBase64(buildPngWithText([["ccv3", utf8ToBase64(JSON.stringify(card))]]));
    const bookId = `wuthering-${crypto.randomUUID()}`;
    const imported = await callFunction("fine-tune-card-import", {
      token: owner.token,
      body: { png, quick: true, bookId, bookInfo: { title: "Wuthering Heights", author: "Emily Brontë" } },
    });
    expect(imported.status).toBe(202);
    const model = imported.json.model;
    expect(model).toMatchObject({
      name: "Heathcliff",
      quick_tune: true,
      greeting: "What do you want at the Heights, you?",
      alternate_greetings: ["Cathy? Is it you, you?", "Get out of my sight."],
      book_id: bookId,
    });

    const asJson = await callFunction(`fine-tune-card/${model.id}?format=json`, { token: owner.token });
    expect(asJson.status).toBe(200);
    expect(asJson.json.data).toMatchObject({ name: "Heathcliff", first_mes: model.greeting, alternate_greetings: model.alternate_greetings });
    expect(asJson.json.data.mes_example).toBe("<START>\n{{user}}: Do you love her?\n{{char}}: I cannot live without my life.");
    expect((await callFunction(`fine-tune-card/${model.id}`, { token: other.token })).status).toBe(404);
    expect((await callFunction(`fine-tune-card/${model.id}`)).status).toBe(401);

    const response = await fetch(`${stack().functionsUrl}/fine-tune-card/${model.id}?format=png`, {
      headers: { Authorization: `Bearer ${owner.token}` },
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    const exported = new Uint8Array(await response.arrayBuffer());
    expect(JSON.parse(base64ToUtf8(readPngTextChunks(exported).get("ccv3")!))).toEqual(asJson.json);

    expect((await callFunction(`fine-tune-delete/${model.id}`, { method: "DELETE", token: owner.token })).status).toBe(200);
    const again = await callFunction("fine-tune-card-import", { token: owner.token, body: { png: bytesToBase64(exported), quick: true } });
    expect(again.status).toBe(202);
    for (const field of ["name", "type", "book_id", "book_info", "description", "greeting", "alternate_greetings"]) {
      expect(again.json.model[field], field).toEqual(model[field]);
    }

    // A real card (SillyTavern's Seraphina) with a 4 MB picture, its base64 in 76-character lines.
    const large = await callFunction("fine-tune-card-import", {
      token: owner.token,
      body: { png: wrapped(bytesToBase64(largeCardPng(seraphinaJson, 4 * 1024 * 1024))), quick: true, bookId },
    });
    expect(large.status).toBe(202);
    expect(large.json.model).toMatchObject({ name: "Seraphina", book_id: bookId, book_info: { title: "Seraphina's story", author: "OtisAlejandro" } });

    const bad = await callFunction("fine-tune-card-import", { token: owner.token, body: { card: { spec: "chara_card_v2", data: {} } } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details[0]).toMatchObject({ path: ["card", "data", "name"], message: "The card has no name" });
  });
});
