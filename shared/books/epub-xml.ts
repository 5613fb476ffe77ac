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

/**
 * `epub:type` values (or their `doc-` roles) whose text is not a chapter's: front and back matter,
 * whole (`frontmatter`, `backmatter`, as Standard Ebooks type a file's body) or by kind.
 */
const MATTER_TYPES = new Set([
  "frontmatter", "backmatter", "titlepage", "halftitlepage", "imprint", "colophon", "copyright-page", "toc",
  "endnotes", "rearnotes", "footnotes", "footnote", "endnote", "rearnote", "loi", "lot", "landmarks", "page-list",
  "cover", "index", "bibliography", "preface", "foreword", "dedication", "epigraph", "acknowledgments",
]);
/** Project Gutenberg's converter marks its licence header and footer with these classes (no `epub:type` in EPUB 2). */
const GUTENBERG_BOILERPLATE = /(^|\s)pg(header|footer)(\s|$)/;
/** Inline marks that are not prose: note numbers glued to words, "↩" back-links, printed page numbers. */
const NOISE_TYPES = new Set(["noteref", "backlink", "pagebreak"]);

/** The semantic types an element declares through `epub:type` or an ARIA `doc-` role. */
function semanticTypes(attributes: Record<string, string>): string[] {
  const declared = `${attributes["epub:type"] ?? ""} ${(attributes.role ?? "").replace(/\bdoc-/g, "")}`;
  return declared.split(/\s+/).filter(Boolean).map(localName);
}

/** A run of an XHTML document that starts at one of the anchors asked for (or at the top). */
export interface XhtmlSegment {
  /** The id it starts at; null for the text before the first anchor. */
  anchor: string | null;
  /** Its first heading when nothing comes before it. */
  heading: string | null;
  paragraphs: string[];
  /** It holds front or back matter (a title page, endnotes...) and nothing else; that text is left out. */
  matter: boolean;
}

/**
 * An XHTML document cut at the elements whose id is in `anchors`, each part with its paragraphs;
 * noise (note references, back-links, page numbers) left out. The first part (anchor null) is
 * always there, possibly empty.
 */
export function xhtmlSegments(xhtml: string, path: string, anchors: ReadonlySet<string>): XhtmlSegment[] {
  const segments: XhtmlSegment[] = [];
  let segment: XhtmlSegment = { anchor: null, heading: null, paragraphs: [], matter: true };
  let proseSeen = false;
  let current = "";
  let currentInMatter = false;
  let inHeading = false;
  // Per open element: did it start skipping or matter (so its close ends them).
  const open: { skips: boolean; matter: boolean }[] = [];
  let skipping = 0;
  let matter = 0;
  const flush = () => {
    const text = normaliseWhitespace(current.replace(/\u21a9\ufe0e?/g, ""));
    const textInMatter = currentInMatter || matter > 0;
    current = "";
    currentInMatter = false;
    if (!text) return;
    proseSeen = true;
    // Notes or a colophon inside a chapter's file are left out too, not only whole matter pages.
    if (textInMatter) return;
    segment.matter = false;
    if (inHeading && segment.heading === null && segment.paragraphs.length === 0) segment.heading = text;
    else segment.paragraphs.push(text);
  };
  const startSegment = (anchor: string) => {
    flush();
    if (!proseSeen) segment.matter = false;
    segments.push(segment);
    segment = { anchor, heading: null, paragraphs: [], matter: true };
    proseSeen = false;
  };
  const parser = new Parser({
    onopentag(name, attributes) {
      if (open.length >= MAX_XML_DEPTH) throw tooDeep(path);
      const tag = localName(name.toLowerCase());
      const types = semanticTypes(attributes);
      if (attributes.id && anchors.has(attributes.id) && skipping === 0) startSegment(attributes.id);
      const skips = SKIPPED.has(tag) || types.some((type) => NOISE_TYPES.has(type));
      const isMatter = types.some((type) => MATTER_TYPES.has(type)) || GUTENBERG_BOILERPLATE.test(attributes.class ?? "");
      open.push({ skips, matter: isMatter });
      if (skips) skipping++;
      if (isMatter) {
        flush(); // the text before it is not matter
        matter++;
      }
      if (skips) return;
      if (BLOCKS.has(tag)) {
        flush();
        inHeading = HEADINGS.has(tag);
      } else if (tag === "br") current += " ";
    },
    ontext(text) {
      if (skipping > 0) return;
      if (matter > 0 && text.trim()) currentInMatter = true;
      current += text;
    },
    onclosetag(name) {
      const tag = localName(name.toLowerCase());
      const element = open.pop();
      if (element?.skips) skipping--;
      else if (BLOCKS.has(tag)) {
        flush();
        inHeading = false;
      }
      if (element?.matter) {
        flush();
        matter--;
      }
    },
  }, { xmlMode: false, decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true });
  parser.write(xhtml);
  parser.end();
  flush();
  if (!proseSeen) segment.matter = false;
  segments.push(segment);
  return segments;
}

/** An XHTML document's paragraphs, and the first heading when it comes before any other text. */
export function xhtmlParagraphs(xhtml: string, path: string): { heading: string | null; paragraphs: string[] } {
  const [{ heading, paragraphs }] = xhtmlSegments(xhtml, path, new Set());
  return { heading, paragraphs };
}
