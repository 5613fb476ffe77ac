import { describe, expect, it } from "vitest";
import { buildPngWithText, crc32, PngError, readPngTextChunks } from "../../shared/models/card-png.ts";
import { examplesFromMesExample } from "../../shared/models/character-card.ts";

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
