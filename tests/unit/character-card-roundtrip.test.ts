import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { base64ToUtf8, readPngTextChunks } from "../../shared/models/card-png.ts";
import { characterCardSchema } from "../../shared/models/card-schemas.ts";
import { BACKFILL_NOTE, type CardSource, cardFromModel, cardPng, modelFromCard } from "../../shared/models/character-card.ts";

// Real cards (SillyTavern's bundled Seraphina, see tests/fixtures/cards22/README.md) and the
// fields an export used to lose: import -> export -> import gives the same persona and card fields.

const seraphina = JSON.parse(readFileSync(new URL("../fixtures/cards22/seraphina.chara.json", import.meta.url), "utf8"));
const options = { quick: true, isPublic: false, baseModel: "gpt-4.1-mini-2025-04-14" };

/** The model row an import would store, as the export reads it back. */
function stored(model: ReturnType<typeof modelFromCard>): CardSource {
  return {
    id: "m1",
    type: model.type,
    entity_name: model.entityName,
    book_id: model.bookId,
    book_info: model.bookInfo as CardSource["book_info"],
    description: model.description,
    greeting: model.greeting ?? null,
    alternate_greetings: model.alternateGreetings ?? [],
    examples: model.examples ?? [],
  };
}

const importCard = (card: unknown) => modelFromCard(characterCardSchema.parse(card), options);
const withoutModelId = (card: ReturnType<typeof cardFromModel>) => ({
  ...card,
  data: { ...card.data, extensions: { storyvoice: { ...card.data.extensions.storyvoice, modelId: "" } } },
});

describe("SillyTavern's Seraphina (a real V2 card)", () => {
  it("imports, and import -> export -> import gives the same persona and card fields", () => {
    const first = importCard(seraphina);
    expect(first).toMatchObject({ name: "Seraphina", bookId: "card-seraphina" });
    expect(first.bookInfo).toMatchObject({ author: "OtisAlejandro", description: "ST Default Bot contest winner: roleplay bots category" });
    expect(first.description).toMatch(/^\[Seraphina's Personality= "caring"/);
    expect(first.description).toMatch(/\n\nLore:\n- eldoria, wood, forest, magical forest: /);
    expect(first.greeting).toMatch(/^\*You wake with a start/);

    const exported = cardFromModel(stored(first));
    expect(exported.data).toMatchObject({
      creator: "OtisAlejandro",
      creator_notes: "ST Default Bot contest winner: roleplay bots category",
      tags: [],
      personality: "",
      scenario: "",
    });
    expect(exported.data.description).not.toMatch(/Lore:/);
    expect(exported.data.character_book?.entries[0].keys).toEqual(["eldoria", "wood", "forest", "magical forest"]);

    const second = importCard(exported);
    expect(second).toEqual(first);
    expect(withoutModelId(cardFromModel(stored(second)))).toEqual(withoutModelId(exported));
  });

  it("its V1 fields (no spec, all at the top) import as a V1 card", () => {
    const v1 = Object.fromEntries(
      ["name", "description", "personality", "scenario", "first_mes", "mes_example"].map((field) => [field, seraphina[field]]),
    );
    const model = importCard(v1);
    expect(model.name).toBe("Seraphina");
    expect(model.greeting).toBe(importCard(seraphina).greeting);
    expect(model.description).toBe(importCard(seraphina).description.split("\n\nLore:\n")[0]);
    expect(() => characterCardSchema.parse({ description: "no name" })).toThrow(/V1 card with a top-level name/);
  });
});

describe("fields an export keeps apart", () => {
  const card = {
    spec: "chara_card_v3",
    data: {
      name: "Carmilla",
      description: "{{char}} is a countess.",
      personality: "Languid, secretive.",
      scenario: "{{user}} is a guest in Styria.",
      creator: "Le Fanu",
      creator_notes: "From the novella.",
      tags: ["gothic", "vampire"],
      character_book: { entries: [{ keys: ["Karnstein"], content: "A ruined castle: her line's.", enabled: true }] },
    },
  };

  it("gives back personality, scenario, creator, creator notes, tags and lore, and imports the same", () => {
    const first = importCard(card);
    expect(first.description).toBe(
      "Carmilla is a countess.\n\nPersonality: Languid, secretive.\n\nScenario: the reader is a guest in Styria.\n\nLore:\n- Karnstein: A ruined castle: her line's.",
    );
    const exported = cardFromModel(stored(first));
    expect(exported.data).toMatchObject({
      description: "Carmilla is a countess.",
      personality: "Languid, secretive.",
      scenario: "the reader is a guest in Styria.",
      creator: "Le Fanu",
      creator_notes: "From the novella.",
      tags: ["gothic", "vampire"],
      character_book: { entries: [{ keys: ["Karnstein"], content: "A ruined castle: her line's.", enabled: true }] },
    });
    expect(importCard(exported)).toEqual(first);
  });

  it("a model without card parts exports the book's author, notes and genre as creator, notes and tags", () => {
    const exported = cardFromModel({
      ...stored(importCard(card)),
      book_info: { title: "Carmilla", author: "J. S. Le Fanu", description: "A novella.", genre: "gothic, horror" },
      description: "A countess.",
    });
    expect(exported.data).toMatchObject({ description: "A countess.", creator: "J. S. Le Fanu", creator_notes: "A novella.", tags: ["gothic", "horror"] });
  });

  it("the PNG's V2 copy carries the V3 spec's backfill note, which an import trims", () => {
    const exported = cardFromModel(stored(importCard(card)));
    const chunks = readPngTextChunks(cardPng(exported));
    const v2 = JSON.parse(base64ToUtf8(chunks.get("chara")!));
    expect(v2.spec).toBe("chara_card_v2");
    expect(v2.data.creator_notes).toBe(`${BACKFILL_NOTE}\n\nFrom the novella.`);
    expect(JSON.parse(base64ToUtf8(chunks.get("ccv3")!)).data.creator_notes).toBe("From the novella.");
    expect(importCard(v2)).toEqual(importCard(exported));
  });
});

describe("large card PNGs", () => {
  it("reads the card of a 4 MB PNG from its base64, wrapped or not, and still checks the picture's CRC", async () => {
    const { largeCardPng, seraphinaJson, wrapped } = await import("../support/card-fixtures.ts");
    const { base64PngBytes, bytesToBase64 } = await import("../../shared/models/card-png.ts");
    const png = largeCardPng(seraphinaJson, 4 * 1024 * 1024);
    expect(png.length).toBeGreaterThan(4 * 1024 * 1024);
    const base64 = bytesToBase64(png);
    for (const text of [base64, wrapped(base64)]) {
      const chunks = readPngTextChunks(base64PngBytes(text));
      expect(base64ToUtf8(chunks.get("chara")!)).toBe(seraphinaJson);
    }
    const damaged = png.slice();
    damaged[3 * 1024 * 1024] ^= 1; // inside the picture
    expect(() => readPngTextChunks(base64PngBytes(bytesToBase64(damaged)))).toThrow(/IDAT chunk at byte 33 fails its CRC/);
    expect(() => base64PngBytes("iVBOR*")).toThrow(/not base64/);
  });
});

describe("a card's picture", () => {
  it("is the PNG without its card chunks, and carries a new card before its IEND", async () => {
    const { largeCardPng, seraphinaJson } = await import("../support/card-fixtures.ts");
    const { buildPngWithText, pictureWithoutCard, pictureWithText } = await import("../../shared/models/card-png.ts");
    const png = largeCardPng(seraphinaJson, 1000);
    const picture = pictureWithoutCard(png);
    expect(readPngTextChunks(picture).size).toBe(0);
    expect(picture.length).toBe(png.length - (12 + "chara\0".length + Buffer.from(seraphinaJson).toString("base64").length));
    const carried = pictureWithText(png, [["ccv3", "e30="], ["Comment", "kept"]]);
    expect(readPngTextChunks(carried)).toEqual(new Map([["ccv3", "e30="], ["Comment", "kept"]]));
    expect(pictureWithoutCard(carried).subarray(0, picture.length - 12)).toEqual(picture.subarray(0, picture.length - 12));
    expect(new TextDecoder().decode(carried.subarray(carried.length - 8, carried.length - 4))).toBe("IEND");
    // A card PNG of ours (no picture of its own) is a picture too: the pixel.
    const pixel = buildPngWithText([["chara", "e30="]]);
    expect(readPngTextChunks(pictureWithoutCard(pixel)).size).toBe(0);
  });
});
