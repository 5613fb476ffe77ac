import { Parser } from "htmlparser2";
import { truncateText } from "../models/text.ts";
import { normaliseWhitespace } from "./chapters.ts";
import { invalidEpub } from "./epub-errors.ts";

/**
 * Deepest element nesting an EPUB document may have. Real books nest a few dozen levels; the
 * parser's own close-tag search walks the open elements, so an unbounded depth is quadratic.
 */
export const MAX_XML_DEPTH = 256;
/** Characters of an element's text kept for titles and labels (titles are cut to 200 anyway). */
const ELEMENT_TEXT_CHARS = 1000;

/** Elements whose text is a paragraph of its own. */
const BLOCKS = new Set(["p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dd", "dt", "section", "article"]);
const HEADINGS = new Set(["h1", "h2", "h3"]);
const SKIPPED = new Set(["script", "style", "head", "title", "nav"]);

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  /** The element's text content (its first ELEMENT_TEXT_CHARS or so), read when asked. */
  readonly text: string;
}

/** The name without a namespace prefix (`opf:item` -> `item`, `dc:title` -> `title`). */
export const localName = (name: string) => name.slice(name.indexOf(":") + 1);

const tooDeep = (path: string) => invalidEpub(`The EPUB's ${path} nests elements more than ${MAX_XML_DEPTH} levels deep.`);

/**
 * Every element of an XML document, in order, with its attributes and its text content. The
 * document's text is kept once, in order; an element remembers where its text starts and ends,
 * so nesting costs nothing (appending to every open ancestor was quadratic).
 */
export function xmlElements(xml: string, path: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const texts: string[] = [];
  const open: { start: number; end: number }[] = [];
  const parser = new Parser({
    onopentag(name, attributes) {
      if (open.length >= MAX_XML_DEPTH) throw tooDeep(path);
      const range = { start: texts.length, end: -1 };
      open.push(range);
      elements.push({
        name: name.toLowerCase(),
        attributes,
        get text() {
          // Every text event is at least a character: this many of them hold enough text.
          const end = Math.min(range.end < 0 ? texts.length : range.end, range.start + ELEMENT_TEXT_CHARS);
          let text = "";
          for (let i = range.start; i < end && text.length < ELEMENT_TEXT_CHARS; i++) text += texts[i];
          return truncateText(text, ELEMENT_TEXT_CHARS);
        },
      });
    },
    ontext(text) {
      texts.push(text);
    },
    onclosetag() {
      const range = open.pop();
      if (range) range.end = texts.length;
    },
  }, { xmlMode: true, decodeEntities: true });
  parser.write(xml);
  parser.end();
  return elements;
}

/** An XHTML document's paragraphs, and the first heading when it comes before any other text. */
export function xhtmlParagraphs(xhtml: string, path: string): { heading: string | null; paragraphs: string[] } {
  const paragraphs: string[] = [];
  let heading: string | null = null;
  let current = "";
  let depth = 0;
  let skipping = 0;
  let inHeading = false;
  const flush = () => {
    const text = normaliseWhitespace(current);
    current = "";
    if (!text) return;
    if (inHeading && heading === null && paragraphs.length === 0) heading = text;
    else paragraphs.push(text);
  };
  const parser = new Parser({
    onopentag(name) {
      if (++depth > MAX_XML_DEPTH) throw tooDeep(path);
      const tag = localName(name.toLowerCase());
      if (SKIPPED.has(tag)) skipping++;
      else if (BLOCKS.has(tag)) {
        flush();
        inHeading = HEADINGS.has(tag);
      } else if (tag === "br") current += " ";
    },
    ontext(text) {
      if (skipping === 0) current += text;
    },
    onclosetag(name) {
      depth--;
      const tag = localName(name.toLowerCase());
      if (SKIPPED.has(tag)) skipping = Math.max(0, skipping - 1);
      else if (BLOCKS.has(tag)) {
        flush();
        inHeading = false;
      }
    },
  }, { xmlMode: false, decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true });
  parser.write(xhtml);
  parser.end();
  flush();
  return { heading, paragraphs };
}
