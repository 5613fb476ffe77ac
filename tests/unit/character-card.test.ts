import { describe, expect, it } from "vitest";
import { buildPngWithText, crc32, PngError, readPngTextChunks } from "../../shared/models/card-png.ts";
import { characterCardSchema } from "../../shared/models/card-schemas.ts";
import { cardFromModel, examplesFromMesExample, modelFromCard } from "../../shared/models/character-card.ts";

// The PNG chunk reader and writer Character Cards need, and mes_example's conversations.

describe("card PNGs", () => {
  it("computes PNG's CRC-32", () => {
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082);
  });

  it("writes a valid 1x1 PNG whose tEXt chunks read back", () => {
    const png = buildPngWithText([["ccv3", "eyJhIjoxfQ=="], ["chara", "e30="]]);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(new TextDecoder().decode(png.subarray(12, 16))).toBe("IHDR");
    expect(readPngTextChunks(png)).toEqual(new Map([["ccv3", "eyJhIjoxfQ=="], ["chara", "e30="]]));
  });

  it("refuses what is not a PNG, a truncated chunk, a bad CRC and a missing IEND", () => {
    const png = buildPngWithText([["ccv3", "e30="]]);
    expect(() => readPngTextChunks(new TextEncoder().encode("GIF89a, not a png"))).toThrow(/signature/);
    expect(() => readPngTextChunks(png.subarray(0, 30))).toThrow(/truncated/);
    const corrupt = png.slice();
    corrupt[43] ^= 0xff; // inside the tEXt chunk's data
    expect(() => readPngTextChunks(corrupt)).toThrow(PngError);
    expect(() => readPngTextChunks(corrupt)).toThrow(/CRC/);
    expect(() => readPngTextChunks(png.subarray(0, png.length - 12))).toThrow(/IEND/);
  });
});

describe("mes_example", () => {
  it("splits on <START>, resolves {{char}} and {{user}}, and continues multi-line turns", () => {
    const examples = examplesFromMesExample(
      "<START>\n{{user}}: Hello {{char}}!\n{{char}}: Hello, {{user}}.\nI was waiting.\n<START>\n<USER>: Again?\n<BOT>: Always.\n<START>\n{{char}}: A monologue alone",
      "Carmilla",
    );
    expect(examples).toEqual([
      { topic: null, messages: [{ role: "user", content: "Hello Carmilla!" }, { role: "assistant", content: "Hello, you.\nI was waiting." }] },
      { topic: null, messages: [{ role: "user", content: "Again?" }, { role: "assistant", content: "Always." }] },
    ]);
  });
});

describe("alternate greetings", () => {
  const options = { quick: true, isPublic: false, baseModel: "gpt-4.1-mini-2025-04-14" };

  it("imports them resolved, in order, without blank ones, at most 20, and exports them back", () => {
    const card = characterCardSchema.parse({
      spec: "chara_card_v3",
      data: {
        name: "Jane",
        first_mes: "Reader, {{user}}.",
        alternate_greetings: ["Hello, {{user}}.", " ", "{{char}} is here.", ...Array.from({ length: 30 }, (_, i) => `Greeting ${i}`)],
      },
    });
    const model = modelFromCard(card, options);
    expect(model.alternateGreetings).toHaveLength(20);
    expect(model.alternateGreetings!.slice(0, 3)).toEqual(["Hello, you.", "Jane is here.", "Greeting 0"]);

    const exported = cardFromModel({
      id: "m1",
      type: "character",
      entity_name: "Jane",
      book_id: "jane-eyre",
      book_info: { title: "Jane Eyre" },
      description: "A governess.",
      greeting: model.greeting ?? null,
      alternate_greetings: model.alternateGreetings!,
      examples: [],
    });
    expect(exported.data.alternate_greetings).toEqual(model.alternateGreetings);
    const again = modelFromCard(characterCardSchema.parse(exported), options);
    expect(again.alternateGreetings).toEqual(model.alternateGreetings);
    expect(again.greeting).toBe(model.greeting);
  });

  it("a card without them imports none", () => {
    const card = characterCardSchema.parse({ spec: "chara_card_v2", data: { name: "Rochester" } });
    expect(modelFromCard(card, options).alternateGreetings).toEqual([]);
  });
});
