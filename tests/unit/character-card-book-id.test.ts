import { describe, expect, it } from "vitest";
import { characterCardSchema } from "../../shared/models/card-schemas.ts";
import { cardBookId, modelFromCard } from "../../shared/models/character-card.ts";

// A card's default book id keeps its name's letters in any script: personas named without Latin
// letters must not share one book (they all were `card-card`).

describe("a card's book id", () => {
  const options = { quick: true, isPublic: false, baseModel: "gpt-4.1-mini-2025-04-14" };
  const bookOf = (name: string) => modelFromCard(characterCardSchema.parse({ spec: "chara_card_v2", data: { name } }), options).bookId;

  it("keeps Japanese and Russian names apart, and stable", () => {
    expect(bookOf("セラフィナ")).toBe("card-セラフィナ");
    expect(bookOf("Серафима Петровна")).toBe("card-серафима-петровна");
    expect(bookOf("ガブリエル")).not.toBe(bookOf("カブリエル")); // a voicing mark is a letter's part
    expect(new Set([bookOf("セラフィナ"), bookOf("Серафима Петровна"), bookOf("李白")]).size).toBe(3);
    expect(bookOf("李白")).toBe(bookOf("李白"));
  });

  it("slugs Latin names as before, accents off", () => {
    expect(bookOf("Carmilla")).toBe("card-carmilla");
    expect(cardBookId("Zoë Ångström")).toBe("card-zoe-angstrom");
    expect(cardBookId("Dr. Jekyll & Mr. Hyde")).toBe("card-dr-jekyll-mr-hyde");
  });

  it("gives names of symbols only their own id, never a shared constant", () => {
    expect(cardBookId("🐉🔥")).not.toBe(cardBookId("🐈"));
    expect(cardBookId("🐉🔥")).toMatch(/^card-[0-9a-z-]+$/);
  });
});
