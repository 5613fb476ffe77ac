/**
 * Splits a reply into sentences while it streams, so each can be read aloud as soon as it is
 * whole. A sentence ends at `.`, `!`, `?` or `…` (closing quotes and brackets stay with it) before
 * whitespace and a next word that does not start in lower case, or at a blank line. Titles and
 * initials ("Mrs.", "Dr.", "J. R."), decimals and an ellipsis running on ("Well... maybe") do not
 * end one. The word after a possible end decides, so an end is only known once that word has begun.
 */

/** Words whose trailing dot is an abbreviation's, not a sentence end (compared lower-case, without dots). */
const ABBREVIATIONS = new Set([
  "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "capt", "col", "gen", "lt", "sgt", "rev",
  "hon", "fr", "vs", "etc", "eg", "ie", "cf", "al", "approx", "no", "vol", "ch", "pp", "fig", "jan", "feb",
  "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
]);

const ENDINGS = ".!?…";
const CLOSERS = "\"'”’»)]";

/** True when the text up to `dot` (a `.`) ends in an abbreviation or an initial, not a sentence. */
function isAbbreviation(text: string, dot: number): boolean {
  const word = /([\p{L}.]+)$/u.exec(text.slice(0, dot))?.[1] ?? "";
  if (word === "") return false;
  const bare = word.replace(/\./g, "").toLowerCase();
  // An initial ("J."), or dotted letters ("e.g", "U.S").
  if (/^\p{Lu}$/u.test(word) || /^(\p{L}\.)+\p{L}$/u.test(word)) return true;
  return ABBREVIATIONS.has(bare);
}

/**
 * Where the first sentence of `text` ends (the index after it, closers and all), or -1 when no
 * end is certain yet. `final`: no more text will come, so an ending at the very end counts.
 */
export function sentenceEnd(text: string, final = false): number {
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === "\n" && text[index + 1] === "\n" && text.slice(0, index).trim() !== "") return index;
    if (!ENDINGS.includes(char)) continue;
    let end = index + 1;
    while (end < text.length && (ENDINGS.includes(text[end]) || CLOSERS.includes(text[end]))) end++;
    if (end === text.length) return final ? end : -1;
    if (!/\s/.test(text[end])) continue; // "3.14", "e.g.," or "?!x": not an end here
    const next = text.slice(end).search(/\S/);
    if (next === -1) return final ? end : -1; // the next word has not begun yet
    const following = text[end + next];
    if (/\p{Ll}/u.test(following)) continue; // "Well... maybe" or "Mrs. smith": it runs on
    const dots = text.slice(index, end).replace(/[^.]/g, "");
    if (char === "." && dots.length === 1 && isAbbreviation(text, index)) continue;
    return end;
  }
  return final && text.trim() !== "" ? text.length : -1;
}

/** Feeds a streamed reply in and takes out whole sentences, trimmed, in order. */
export class SentenceSplitter {
  private buffer = "";

  /** Adds streamed text; answers the sentences it completed. */
  push(delta: string): string[] {
    this.buffer += delta;
    return this.take(false);
  }

  /** The stream ended: answers what was left, as sentences. */
  flush(): string[] {
    const rest = this.take(true);
    this.buffer = "";
    return rest;
  }

  private take(final: boolean): string[] {
    const sentences: string[] = [];
    for (;;) {
      const end = sentenceEnd(this.buffer, final);
      if (end < 0) break;
      const sentence = this.buffer.slice(0, end).trim();
      this.buffer = this.buffer.slice(end);
      if (sentence) sentences.push(sentence);
      if (this.buffer.trim() === "") {
        this.buffer = final ? "" : this.buffer;
        break;
      }
    }
    return sentences;
  }
}
