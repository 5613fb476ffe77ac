import { describe, expect, it } from "vitest";
import { SentenceSplitter } from "../../app/src/voice/sentences.ts";

/** Streams `text` in pieces of `size` characters and collects each sentence as it completes. */
function streamed(text: string, size: number) {
  const splitter = new SentenceSplitter();
  const emitted: { sentence: string; at: number }[] = [];
  for (let at = 0; at < text.length; at += size) {
    for (const sentence of splitter.push(text.slice(at, at + size))) emitted.push({ sentence, at: at + size });
  }
  for (const sentence of splitter.flush()) emitted.push({ sentence, at: Infinity });
  return emitted;
}

const split = (text: string) => streamed(text, text.length).map((e) => e.sentence);

describe("sentences of a streamed reply", () => {
  it("splits at . ! ? and keeps closing quotes with their sentence", () => {
    expect(split('As Rochester, I would say: you ask "What became of her?" A fair question. Ask again! Will you?'))
      .toEqual(['As Rochester, I would say: you ask "What became of her?"', "A fair question.", "Ask again!", "Will you?"]);
  });

  it("does not end a sentence at titles, initials, dotted abbreviations or decimals", () => {
    expect(split("Mrs. Fairfax met Dr. Rivers and J. R. Tolkien at 3.5 miles, e.g. near the U.S. border. Then rain."))
      .toEqual(["Mrs. Fairfax met Dr. Rivers and J. R. Tolkien at 3.5 miles, e.g. near the U.S. border.", "Then rain."]);
  });

  it("lets an ellipsis run on into lower case, and end before a capital", () => {
    expect(split("Well... maybe not. I wonder… Perhaps.")).toEqual(["Well... maybe not.", "I wonder…", "Perhaps."]);
  });

  it("ends at a blank line, and answers the rest when the stream ends", () => {
    expect(split("A heading\n\nThe first line of it, with no stop")).toEqual(["A heading", "The first line of it, with no stop"]);
  });

  it("gives a sentence out as soon as the next word begins, not before, whatever the pieces", () => {
    const text = "I came back. It was late, and the hall was dark.";
    for (const size of [1, 2, 3, 7]) {
      const emitted = streamed(text, size);
      expect(emitted.map((e) => e.sentence)).toEqual(["I came back.", "It was late, and the hall was dark."]);
      // The first is out once "I" of "It" has arrived, long before the stream ends.
      expect(emitted[0].at).toBeLessThanOrEqual(text.indexOf("It") + size);
      expect(emitted[0].at).toBeGreaterThan(text.indexOf("It"));
      expect(emitted[1].at).toBe(Infinity);
    }
  });

  it("waits on a stop at the end of what has arrived: it may be an ellipsis or an abbreviation", () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push("Ask Mr.")).toEqual([]);
    expect(splitter.push(" Rochester. ")).toEqual([]);
    expect(splitter.push("He")).toEqual(["Ask Mr. Rochester."]);
    expect(splitter.push(" knows..")).toEqual([]);
    expect(splitter.push(". whom")).toEqual([]);
    expect(splitter.flush()).toEqual(["He knows... whom"]);
  });
});
