import { beforeAll, describe, expect, it } from "vitest";
import cardImport from "../../functions/fine-tune-card-import/handler.ts";
import cardExport from "../../functions/fine-tune-card/handler.ts";
import deleteModel from "../../functions/fine-tune-delete/handler.ts";
import { base64ToBytes, base64ToUtf8, buildPngWithText, bytesToBase64, pictureWithoutCard, readPngTextChunks, utf8ToBase64 } from "../../shared/models/card-png.ts";
import { withUserTransaction } from "../../shared/db/client.ts";
import { loadCardPicture } from "../../shared/lifecycle/model-card.ts";
import { largeCardPng, seraphinaJson, wrapped } from "../support/card-fixtures.ts";
import { backgroundSettled, call, countModels, useCreateModelHarness } from "../support/create-model-harness.ts";
import { adminSql, type TestUser } from "../support/stack.ts";

// POST /fine-tune-card-import and GET /fine-tune-card in-process, on the suite's own database:
// V2 JSON, V3 JSON and V3 PNG cards (built here) import with every mapped field; bad cards are
// 422s that write nothing; an exported card imports as the same persona.

const { createOwner } = useCreateModelHarness();

let owner: TestUser;
let stranger: TestUser;
beforeAll(async () => {
  owner = await createOwner("card-owner");
  stranger = await createOwner("card-stranger");
});

const cardData = (name: string) => ({
  name,
  description: "{{char}} is a centuries-old countess who befriends lonely girls.",
  personality: "Languid, affectionate, secretive.",
  scenario: "{{user}} is a guest at a schloss in Styria.",
  first_mes: "*{{char}} smiles at {{user}}.* You look tired, dear.",
  mes_example: "<START>\n{{user}}: Where are you from?\n{{char}}: From an old family, older than you would believe.\n" +
    "<START>\n{{user}}: Do you sleep late?\n{{char}}: Until the afternoon.\nIt is a habit of my house.",
  creator_notes: "Based on Le Fanu's novella.",
  tags: ["gothic", "vampire"],
  creator: "J. Sheridan Le Fanu",
  alternate_greetings: ["Good evening.", "  ", "*{{char}} takes {{user}} by the hand.* Stay a while."],
  character_book: { entries: [{ keys: ["Karnstein"], content: "The ruined castle of {{char}}'s line.", enabled: true }] },
  extensions: { world: "Styria" },
});

const examplesOf = async (modelId: string) =>
  await adminSql()<{ source: string; messages: { role: string; content: string }[] }[]>`
    select source, messages from public.training_examples where model_id = ${modelId} and source = 'user' order by position`;

async function importCard(user: TestUser, body: unknown) {
  const answer = await call(cardImport, "fine-tune-card-import", { token: user.token, body });
  if (answer.status === 202) await backgroundSettled(answer.json.model.id);
  return answer;
}

const exportCardResponse = async (user: TestUser, modelId: string, format: string) =>
  await cardExport(new Request(`http://127.0.0.1:54321/functions/v1/fine-tune-card/${modelId}?format=${format}`, {
    headers: { Authorization: `Bearer ${user.token}` },
  }));

async function exportCard(user: TestUser, modelId: string, format = "json") {
  const response = await exportCardResponse(user, modelId, format);
  return { status: response.status, type: response.headers.get("content-type"), bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe("importing Character Cards", () => {
  it("a V2 JSON card maps every field", async () => {
    const { status, json } = await importCard(owner, { card: { spec: "chara_card_v2", spec_version: "2.0", data: cardData("Carmilla") } });
    expect(status).toBe(202);
    const model = json.model;
    expect(model).toMatchObject({
      name: "Carmilla",
      entity_name: "Carmilla",
      type: "character",
      quick_tune: false,
      book_id: "card-carmilla",
      book_info: { title: "Carmilla's story", author: "J. Sheridan Le Fanu", description: "Based on Le Fanu's novella.", genre: "gothic, vampire" },
      greeting: "*Carmilla smiles at you.* You look tired, dear.",
      // Blank ones dropped, the rest resolved like first_mes, in order.
      alternate_greetings: ["Good evening.", "*Carmilla takes you by the hand.* Stay a while."],
      voice: null,
    });
    expect(model.description).toBe(
      "Carmilla is a centuries-old countess who befriends lonely girls.\n\nPersonality: Languid, affectionate, secretive.\n\n" +
        "Scenario: the reader is a guest at a schloss in Styria.\n\nLore:\n- Karnstein: The ruined castle of Carmilla's line.",
    );
    expect((await examplesOf(model.id)).map((example) => example.messages)).toEqual([
      [{ role: "user", content: "Where are you from?" }, { role: "assistant", content: "From an old family, older than you would believe." }],
      [{ role: "user", content: "Do you sleep late?" }, { role: "assistant", content: "Until the afternoon.\nIt is a habit of my house." }],
    ]);
    const [stored] = await adminSql()<{ greeting: string }[]>`select greeting from private.fine_tuned_models where id = ${model.id}`;
    expect(stored.greeting).toBe("*Carmilla smiles at you.* You look tired, dear.");

    const twin = await importCard(owner, { card: { spec: "chara_card_v2", data: cardData("Carmilla") } });
    expect(twin.status).toBe(409);
    expect(twin.json.model.id).toBe(model.id);
  });

  it("a V3 JSON card, quick, with the book named in the request", async () => {
    const { status, json } = await importCard(owner, {
      card: { spec: "chara_card_v3", spec_version: "3.0", data: { ...cardData("Laura"), group_only_greetings: [] } },
      quick: true,
      type: "character",
      voice: "shimmer",
      bookId: "carmilla-1872",
      bookInfo: { title: "Carmilla", author: "J. Sheridan Le Fanu" },
    });
    expect(status).toBe(202);
    expect(json.model).toMatchObject({
      name: "Laura",
      quick_tune: true,
      voice: "shimmer",
      alternate_greetings: ["Good evening.", "*Laura takes you by the hand.* Stay a while."],
      book_id: "carmilla-1872",
      book_info: { title: "Carmilla", author: "J. Sheridan Le Fanu", description: "Based on Le Fanu's novella.", genre: "gothic, vampire" },
    });
    expect(await examplesOf(json.model.id)).toHaveLength(2);
  });

  it("a V3 PNG card (ccv3 chunk) and a V2 PNG card (chara chunk)", async () => {
    const v3 = { spec: "chara_card_v3", spec_version: "3.0", data: cardData("Bertha") };
    const png = buildPngWithText([["Comment", "a drawing"], ["ccv3", utf8ToBase64(JSON.stringify(v3))]]);
    const fromV3 = await importCard(owner, { png: bytesToBase64(png) });
    expect(fromV3.status).toBe(202);
    expect(fromV3.json.model).toMatchObject({ name: "Bertha", greeting: "*Bertha smiles at you.* You look tired, dear." });

    const v2 = { spec: "chara_card_v2", spec_version: "2.0", data: cardData("General Spielsdorf") };
    const fromV2 = await importCard(owner, { png: bytesToBase64(buildPngWithText([["chara", utf8ToBase64(JSON.stringify(v2))]])) });
    expect(fromV2.status).toBe(202);
    expect(fromV2.json.model.name).toBe("General Spielsdorf");
  });

  it("real cards: SillyTavern's Seraphina as a 4 MB PNG (base64 in lines) and as its V1 fields", async () => {
    const png = largeCardPng(seraphinaJson, 4 * 1024 * 1024);
    const fromPng = await importCard(owner, { png: wrapped(bytesToBase64(png)), bookId: "seraphina-png" });
    expect(fromPng.status).toBe(202);
    expect(fromPng.json.model).toMatchObject({ name: "Seraphina", book_info: { author: "OtisAlejandro" } });
    expect(fromPng.json.model.greeting).toMatch(/^\*You wake with a start/);

    const seraphina = JSON.parse(seraphinaJson);
    const v1 = Object.fromEntries(["name", "description", "personality", "scenario", "first_mes", "mes_example"].map((f) => [f, seraphina[f]]));
    const fromV1 = await importCard(owner, { card: v1 });
    expect(fromV1.status).toBe(202);
    expect(fromV1.json.model).toMatchObject({ name: "Seraphina", book_id: "card-seraphina", greeting: fromPng.json.model.greeting });
  });

  it("previews a card without writing anything, then creates it in the book the reader chose", async () => {
    const v3 = { spec: "chara_card_v3", spec_version: "3.0", data: cardData("Mademoiselle De Lafontaine") };
    const png = bytesToBase64(buildPngWithText([["ccv3", utf8ToBase64(JSON.stringify(v3))]]));
    const before = await countModels(owner.id);
    const { status, json } = await call(cardImport, "fine-tune-card-import", { token: owner.token, body: { png, preview: true } });
    expect(status).toBe(200);
    expect(json).toEqual({
      success: true,
      preview: {
        name: "Mademoiselle De Lafontaine",
        type: "character",
        greeting: "*Mademoiselle De Lafontaine smiles at you.* You look tired, dear.",
        alternateGreetings: ["Good evening.", "*Mademoiselle De Lafontaine takes you by the hand.* Stay a while."],
        description: expect.stringMatching(/^Mademoiselle De Lafontaine is a centuries-old countess/),
        book: {
          bookId: "card-mademoiselle-de-lafontaine",
          bookInfo: { title: "Mademoiselle De Lafontaine's story", author: "J. Sheridan Le Fanu", description: "Based on Le Fanu's novella.", genre: "gothic, vampire" },
        },
        examples: 2,
        picture: true,
      },
    });
    expect(await countModels(owner.id)).toBe(before);
    // A preview is read like an import: a bad card is the same 422.
    const bad = await call(cardImport, "fine-tune-card-import", { token: owner.token, body: { card: { spec: "chara_card_v2", data: {} }, preview: true } });
    expect(bad.status).toBe(422);

    // The reader's book, then the picture as the persona's avatar (cached), for whoever may see it.
    const created = await importCard(owner, { png, bookId: "carmilla-1872", bookInfo: { title: "Carmilla" } });
    expect(created.json.model).toMatchObject({ book_id: "carmilla-1872", book_info: { title: "Carmilla" } });
    const avatar = await exportCardResponse(owner, created.json.model.id, "picture");
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get("content-type")).toBe("image/png");
    expect(avatar.headers.get("cache-control")).toBe("private, max-age=86400");
    const bytes = new Uint8Array(await avatar.arrayBuffer());
    expect(readPngTextChunks(bytes).has("ccv3")).toBe(false);
    expect(bytes).toEqual(pictureWithoutCard(base64ToBytes(png)));
    expect((await exportCardResponse(stranger, created.json.model.id, "picture")).status).toBe(404);
    const plain = await importCard(owner, { card: { spec: "chara_card_v2", data: cardData("Madame Perrodon") } });
    expect((await exportCardResponse(owner, plain.json.model.id, "picture")).status).toBe(404);
  });

  it("cards named without Latin letters get books of their own", async () => {
    const japanese = await importCard(owner, { card: { spec: "chara_card_v2", data: { name: "セラフィナ" } } });
    const russian = await importCard(owner, { card: { spec: "chara_card_v2", data: { name: "Серафима" } } });
    expect([japanese.status, russian.status]).toEqual([202, 202]);
    expect(japanese.json.model.book_id).toBe("card-セラフィナ");
    expect(russian.json.model.book_id).toBe("card-серафима");
  });

  it("refuses malformed cards with a 422 that says what is wrong, writing nothing", async () => {
    const before = await countModels(owner.id);
    const good = buildPngWithText([["ccv3", utf8ToBase64(JSON.stringify({ spec: "chara_card_v3", data: cardData("Nobody") }))]]);
    const corrupt = good.slice();
    corrupt[45] ^= 0xff;
    const cases: [unknown, (string | number)[], RegExp][] = [
      [{ png: bytesToBase64(new TextEncoder().encode("GIF89a")) }, ["png"], /Bad PNG: not a PNG/],
      [{ png: bytesToBase64(corrupt) }, ["png"], /CRC/],
      [{ png: "not base64 at all!" }, ["png"], /Bad PNG: not base64/],
      [{ png: bytesToBase64(buildPngWithText([["Comment", "no card"]])) }, ["png"], /no ccv3 or chara tEXt chunk/],
      [{ png: bytesToBase64(buildPngWithText([["ccv3", btoa("{not json")]])) }, ["png"], /not base64 JSON/],
      [{ card: { spec: "chara_card_v1", data: cardData("X") } }, ["card", "spec"], /chara_card_v2/],
      [{ card: { description: "A V1 card without its name" } }, ["card", "spec"], /V1 card with a top-level name/],
      [{ card: { spec: "chara_card_v2", data: { ...cardData(""), name: "  " } } }, ["card", "data", "name"], /no name/],
      [{ card: { spec: "chara_card_v3", data: { description: "nameless" } } }, ["card", "data", "name"], /no name/],
      [{ card: { spec: "chara_card_v3" } }, ["card", "data"], /no data/],
      [{ card: { spec: "chara_card_v2", data: cardData("X") }, png: "AAAA" }, ["card"], /either card/],
      [{ card: { spec: "chara_card_v2", data: cardData("X") }, voice: "gravel" }, ["voice"], /Not one of the voices/],
      [{ card: { spec: "chara_card_v2", data: { ...cardData("X"), alternate_greetings: "Hello" } } }, ["card", "data", "alternate_greetings"], /array/],
    ];
    for (const [body, path, message] of cases) {
      const { status, json } = await call(cardImport, "fine-tune-card-import", { token: owner.token, body });
      expect(status, JSON.stringify(body).slice(0, 80)).toBe(422);
      const issue = json.error.details.find((d: any) => JSON.stringify(d.path) === JSON.stringify(path));
      expect(issue, JSON.stringify(json.error.details)).toBeDefined();
      expect(issue.message).toMatch(message);
    }
    const oversize = await call(cardImport, "fine-tune-card-import", {
      token: owner.token,
      body: { png: "A".repeat(12 * 1024 * 1024 + 10) },
    });
    expect(oversize.status).toBe(413);
    expect((await call(cardImport, "fine-tune-card-import", { body: { card: {} } })).status).toBe(401);
    expect(await countModels(owner.id)).toBe(before);
  });
});

describe("exporting Character Cards", () => {
  it("exports JSON and PNG that import again as the same persona", async () => {
    const created = await importCard(owner, {
      card: { spec: "chara_card_v2", data: cardData("Mademoiselle De Lafontaine") },
      bookId: "carmilla-roundtrip",
      bookInfo: { title: "Carmilla", author: "J. Sheridan Le Fanu", genre: "Gothic" },
      isPublic: true,
    });
    const original = created.json.model;

    const json = await exportCard(owner, original.id);
    expect(json.status).toBe(200);
    expect(json.type).toMatch(/^application\/json/);
    const card = JSON.parse(new TextDecoder().decode(json.bytes));
    expect(card).toMatchObject({
      spec: "chara_card_v3",
      spec_version: "3.0",
      data: {
        name: "Mademoiselle De Lafontaine",
        // What import folded into the persona's description comes back apart, with the book's card fields.
        description: "Mademoiselle De Lafontaine is a centuries-old countess who befriends lonely girls.",
        personality: "Languid, affectionate, secretive.",
        scenario: "the reader is a guest at a schloss in Styria.",
        character_book: { entries: [{ keys: ["Karnstein"], content: "The ruined castle of Mademoiselle De Lafontaine's line." }] },
        creator: "J. Sheridan Le Fanu",
        creator_notes: "Based on Le Fanu's novella.",
        tags: ["gothic", "vampire"],
        first_mes: original.greeting,
        alternate_greetings: ["Good evening.", "*Mademoiselle De Lafontaine takes you by the hand.* Stay a while."],
        extensions: { storyvoice: { type: "character", bookId: "carmilla-roundtrip", modelId: original.id } },
      },
    });
    expect(card.data.mes_example).toContain("<START>\n{{user}}: Where are you from?\n{{char}}: From an old family");

    const png = await exportCard(owner, original.id, "png");
    expect(png.type).toBe("image/png");
    const chunks = readPngTextChunks(png.bytes);
    expect(JSON.parse(base64ToUtf8(chunks.get("ccv3")!))).toEqual(card);
    const v2 = JSON.parse(base64ToUtf8(chunks.get("chara")!));
    expect(v2.spec).toBe("chara_card_v2");
    expect(v2.data.creator_notes).toMatch(/^This character card is Character Card V3, but it is loaded as a Character Card V2\./);

    // Anyone may export a public model: the persona without the owner's examples.
    const theirs = await exportCard(stranger, original.id);
    expect(theirs.status).toBe(200);
    const strangerCard = JSON.parse(new TextDecoder().decode(theirs.bytes));
    expect(strangerCard.data.mes_example).toBe("");
    expect(JSON.stringify(strangerCard)).not.toMatch(/ftjob|file-|created_by/);

    // Round trips: the owner deletes the model, then imports the JSON card, then (after deleting
    // that one) the PNG card: each time the same persona, examples included.
    const ownExamples = (await examplesOf(original.id)).map((example) => example.messages);
    let current = original.id;
    for (const body of [{ card }, { png: bytesToBase64(png.bytes) }]) {
      expect((await call(deleteModel, `fine-tune-delete/${current}`, { token: owner.token, method: "DELETE" })).status).toBe(200);
      const again = await importCard(owner, body);
      expect(again.status).toBe(202);
      for (const field of ["name", "type", "entity_name", "book_id", "book_info", "description", "greeting", "alternate_greetings"]) {
        expect(again.json.model[field], field).toEqual(original[field]);
      }
      expect((await examplesOf(again.json.model.id)).map((example) => example.messages)).toEqual(ownExamples);
      current = again.json.model.id;
    }
  });

  it("gives back the picture a PNG card was imported with, and a pixel for a model without one", async () => {
    const png = largeCardPng(seraphinaJson, 64 * 1024);
    const created = await importCard(owner, { png: bytesToBase64(png), bookId: "seraphina-picture", isPublic: true });
    expect(created.status).toBe(202);
    const picture = pictureWithoutCard(png);
    const exported = await exportCard(owner, created.json.model.id, "png");
    expect(exported.status).toBe(200);
    expect(pictureWithoutCard(exported.bytes)).toEqual(picture);
    expect(exported.bytes.length).toBeGreaterThan(64 * 1024);
    const card = JSON.parse(base64ToUtf8(readPngTextChunks(exported.bytes).get("ccv3")!));
    expect(card.data.name).toBe("Seraphina");
    // A reader of the public model gets the picture too; a stranger's private one is none of theirs.
    expect(pictureWithoutCard((await exportCard(stranger, created.json.model.id, "png")).bytes)).toEqual(picture);

    // import -> export -> import: the same picture again.
    expect((await call(deleteModel, `fine-tune-delete/${created.json.model.id}`, { token: owner.token, method: "DELETE" })).status).toBe(200);
    const again = await importCard(owner, { png: bytesToBase64(exported.bytes) });
    expect(again.status).toBe(202);
    expect(again.json.model.book_id).toBe("seraphina-picture");
    expect(pictureWithoutCard((await exportCard(owner, again.json.model.id, "png")).bytes)).toEqual(picture);

    // RLS: no one adds a picture to someone else's model, nor reads that of a private one.
    const privateOne = await importCard(owner, { card: { spec: "chara_card_v2", data: cardData("The Private One") } });
    const asStranger = { kind: "user" as const, userId: stranger.id, claims: { sub: stranger.id, role: "authenticated" } };
    await expect(withUserTransaction(asStranger, (tx) =>
      tx`insert into public.model_card_pictures (model_id, png) values (${privateOne.json.model.id}, ${picture as never})`
    )).rejects.toThrow(/row-level security/);
    await adminSql()`insert into public.model_card_pictures (model_id, png) values (${privateOne.json.model.id}, ${picture as never})`;
    expect(await loadCardPicture(asStranger, privateOne.json.model.id)).toBeUndefined();
    expect(await loadCardPicture({ ...asStranger, userId: owner.id, claims: { sub: owner.id, role: "authenticated" } }, privateOne.json.model.id))
      .toEqual(picture);

    const plain = await importCard(owner, { card: { spec: "chara_card_v2", data: cardData("The Pixel") } });
    const pixel = await exportCard(owner, plain.json.model.id, "png");
    expect(pixel.bytes.length).toBeLessThan(8 * 1024);
    const [{ count }] = await adminSql()<{ count: number }[]>`
      select count(*)::int as count from public.model_card_pictures where model_id = ${created.json.model.id}`;
    expect(count).toBe(0); // deleted with its model
  });

  it("is a 404 for a private model of someone else, and for none", async () => {
    const created = await importCard(owner, { card: { spec: "chara_card_v3", data: cardData("The Physician") } });
    expect((await exportCard(stranger, created.json.model.id)).status).toBe(404);
    expect((await exportCard(owner, crypto.randomUUID())).status).toBe(404);
    expect((await exportCard(owner, created.json.model.id, "gif")).status).toBe(400);
  });
});
