/**
 * Light Markdown of a persona's reply, as a tree of plain-text nodes (never HTML): `*actions*` and
 * `_italic_`, `**bold**`, `` `code` ``, fenced code blocks, `-`/`1.` lists and line breaks, so a
 * reply reads as the card's author meant it and nothing in it can become markup.
 */

export type Inline =
  | { type: "text"; text: string }
  | { type: "strong"; children: Inline[] }
  | { type: "em"; children: Inline[] }
  | { type: "code"; text: string };

export type Block =
  | { type: "paragraph"; children: Inline[] }
  | { type: "list"; ordered: boolean; start: number; items: Inline[][] }
  | { type: "code"; text: string };

// One pass, leftmost match first; bold before italic so `**x**` is not read as `*` + `*x*` + `*`.
// As in Markdown, a delimiter touches its text (`2 * 3 * 4` stays as written); each part stays on
// one line and within 500 characters, so the scan stays linear however a reply is written.
const INLINE = new RegExp([
  "`([^`\\n]{1,500})`",
  "\\*\\*(?!\\s)((?:[^*\\n]|\\*(?!\\*)){1,500}?)(?<!\\s)\\*\\*",
  "__(?!\\s)((?:[^_\\n]|_(?!_)){1,500}?)(?<!\\s)__",
  "\\*(?![\\s*])([^*\\n]{1,500}?)(?<!\\s)\\*",
  "(?<![\\p{L}\\p{N}_])_(?![\\s_])([^_\\n]{1,500}?)(?<!\\s)_(?![\\p{L}\\p{N}_])",
].join("|"), "gu");

/** The inline parts of one run of text; unmatched delimiters stay as they were written. */
export function parseInline(text: string, depth = 0): Inline[] {
  const parts: Inline[] = [];
  let at = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > at) parts.push({ type: "text", text: text.slice(at, match.index) });
    const [, code, bold, underBold, star, under] = match;
    const inner = (content: string) => (depth < 2 ? parseInline(content, depth + 1) : [{ type: "text" as const, text: content }]);
    if (code !== undefined) parts.push({ type: "code", text: code });
    else if (bold !== undefined || underBold !== undefined) parts.push({ type: "strong", children: inner(bold ?? underBold) });
    else parts.push({ type: "em", children: inner(star ?? under) });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ type: "text", text: text.slice(at) });
  return parts;
}

const BULLET = /^\s{0,3}[-+*]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const FENCE = /^\s{0,3}```/;

/** A reply as blocks: paragraphs keep their line breaks; a fence left open runs to the end. */
export function parseReply(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let paragraph: string[] = [];
  const flush = () => {
    const joined = paragraph.join("\n").replace(/^\n+|\n+$/g, "");
    if (joined) blocks.push({ type: "paragraph", children: parseInline(joined) });
    paragraph = [];
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (FENCE.test(line)) {
      flush();
      const code: string[] = [];
      while (++index < lines.length && !FENCE.test(lines[index])) code.push(lines[index]);
      blocks.push({ type: "code", text: code.join("\n") });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (!bullet && !numbered) {
      paragraph.push(line);
      continue;
    }
    flush();
    const ordered = numbered !== null;
    const last = blocks.at(-1);
    const item = parseInline(bullet ? bullet[1] : numbered![2]);
    if (last?.type === "list" && last.ordered === ordered) last.items.push(item);
    else blocks.push({ type: "list", ordered, start: ordered ? Number(numbered![1]) : 1, items: [item] });
  }
  flush();
  return blocks;
}
