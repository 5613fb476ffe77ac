import { unzipSync } from "fflate";
import { Parser } from "htmlparser2";
import { HttpError } from "../errors.ts";
import { chapterTitle, FRONT_MATTER_CHARS, normaliseWhitespace, type ParsedChapter } from "./chapters.ts";

/** Most bytes an EPUB may unpack to: a zip that inflates past it is refused (413), never unpacked. */
export const MAX_EPUB_UNPACKED_BYTES = 64 * 1024 * 1024;

const invalidEpub = (message: string) =>
  new HttpError(422, "invalid_epub", message, { details: [{ path: ["epub"], message }] });

/** Elements whose text is a paragraph of its own. */
const BLOCKS = new Set(["p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dd", "dt", "section", "article"]);
const HEADINGS = new Set(["h1", "h2", "h3"]);
const SKIPPED = new Set(["script", "style", "head", "title", "nav"]);

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
}

/** Every element of an XML document, in order, with its attributes and its own text content. */
function xmlElements(xml: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const open: XmlElement[] = [];
  const parser = new Parser({
    onopentag(name, attributes) {
      const element = { name: name.toLowerCase(), attributes, text: "" };
      elements.push(element);
      open.push(element);
    },
    ontext(text) {
      for (const element of open) element.text += text;
    },
    onclosetag() {
      open.pop();
    },
  }, { xmlMode: true, decodeEntities: true });
  parser.write(xml);
  parser.end();
  return elements;
}

/** The name without a namespace prefix (`opf:item` -> `item`, `dc:title` -> `title`). */
const localName = (name: string) => name.slice(name.indexOf(":") + 1);

/** Resolves `href` against the folder of `base` inside the zip, without a fragment. */
function resolveHref(base: string, href: string): string {
  const path = decodeURIComponent(href.split("#")[0]);
  const parts = base.split("/").slice(0, -1);
  for (const part of path.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}

/** An XHTML document's paragraphs, and the first heading when it comes before any other text. */
function xhtmlParagraphs(xhtml: string): { heading: string | null; paragraphs: string[] } {
  const paragraphs: string[] = [];
  let heading: string | null = null;
  let current = "";
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

/** Chapter titles by document path, from the EPUB 3 nav document or the EPUB 2 NCX. */
function tableOfContents(files: Record<string, Uint8Array>, navPath: string | null, ncxPath: string | null) {
  const titles = new Map<string, string>();
  const decoder = new TextDecoder();
  if (navPath && files[navPath]) {
    // Only the table of contents (epub:type="toc"), not the landmarks or the page list.
    const elements = xmlElements(decoder.decode(files[navPath]));
    let inToc = false;
    for (const element of elements) {
      if (localName(element.name) === "nav") inToc = (element.attributes["epub:type"] ?? "toc").includes("toc");
      if (inToc && localName(element.name) === "a" && element.attributes.href) {
        const path = resolveHref(navPath, element.attributes.href);
        if (!titles.has(path)) titles.set(path, normaliseWhitespace(element.text));
      }
    }
  }
  if (titles.size === 0 && ncxPath && files[ncxPath]) {
    let label: string | null = null;
    for (const element of xmlElements(decoder.decode(files[ncxPath]))) {
      const name = localName(element.name);
      if (name === "navlabel") label = normaliseWhitespace(element.text);
      if (name === "content" && element.attributes.src && label) {
        const path = resolveHref(ncxPath, element.attributes.src);
        if (!titles.has(path)) titles.set(path, label);
        label = null;
      }
    }
  }
  return titles;
}

/**
 * Chapters of an EPUB (2 or 3): unzipped with fflate (refused past MAX_EPUB_UNPACKED_BYTES), the
 * package document found through META-INF/container.xml, its spine read in order (non-linear
 * items left out); each XHTML document is a chapter titled by the nav document or the NCX, else
 * by its first heading. A document with no title and little text (a cover, a title page) is not a
 * chapter. Answers the package's own title too.
 */
export function parseEpubBook(bytes: Uint8Array, fallbackTitle: string): { title: string | null; chapters: ParsedChapter[] } {
  let files: Record<string, Uint8Array>;
  let unpacked = 0;
  try {
    files = unzipSync(bytes, {
      filter(file) {
        unpacked += file.originalSize;
        if (unpacked > MAX_EPUB_UNPACKED_BYTES) {
          throw new HttpError(413, "book_too_large", `The EPUB unpacks to more than ${MAX_EPUB_UNPACKED_BYTES} bytes.`);
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw invalidEpub("The EPUB is not a readable zip archive.");
  }
  const decoder = new TextDecoder();
  const container = files["META-INF/container.xml"];
  if (!container) throw invalidEpub("The EPUB has no META-INF/container.xml.");
  const rootfile = xmlElements(decoder.decode(container))
    .find((element) => localName(element.name) === "rootfile")?.attributes["full-path"];
  if (!rootfile || !files[rootfile]) throw invalidEpub("The EPUB's container names no package document it holds.");

  const opf = xmlElements(decoder.decode(files[rootfile]));
  const manifest = new Map<string, { path: string; type: string; properties: string }>();
  for (const element of opf.filter((element) => localName(element.name) === "item")) {
    const { id, href } = element.attributes;
    if (id && href) {
      manifest.set(id, {
        path: resolveHref(rootfile, href),
        type: element.attributes["media-type"] ?? "",
        properties: element.attributes.properties ?? "",
      });
    }
  }
  const spine = opf.find((element) => localName(element.name) === "spine");
  const navPath = [...manifest.values()].find((item) => item.properties.split(/\s+/).includes("nav"))?.path ?? null;
  const ncxPath = manifest.get(spine?.attributes.toc ?? "")?.path ??
    [...manifest.values()].find((item) => item.type === "application/x-dtbncx+xml")?.path ?? null;
  const titles = tableOfContents(files, navPath, ncxPath);
  const packageTitle = opf.find((element) => localName(element.name) === "title")?.text;

  const chapters: ParsedChapter[] = [];
  const itemrefs = opf.filter((element) => localName(element.name) === "itemref");
  if (itemrefs.length === 0) throw invalidEpub("The EPUB's spine lists no documents.");
  for (const itemref of itemrefs) {
    if (itemref.attributes.linear === "no") continue;
    const item = manifest.get(itemref.attributes.idref ?? "");
    if (!item || !files[item.path] || !/html/.test(item.type)) continue;
    if (item.path === navPath) continue;
    const { heading, paragraphs } = xhtmlParagraphs(decoder.decode(files[item.path]));
    const listed = titles.get(item.path);
    if (!listed && paragraphs.join("\n\n").length < FRONT_MATTER_CHARS) continue;
    // The heading that repeats the listed title is the title, not text.
    const text = heading && listed && normaliseWhitespace(heading) !== normaliseWhitespace(listed)
      ? [heading, ...paragraphs]
      : paragraphs;
    chapters.push({ title: chapterTitle(listed ?? heading ?? "", `Chapter ${chapters.length + 1}`), paragraphs: text });
  }
  return { title: packageTitle ? normaliseWhitespace(packageTitle) || null : null, chapters: chapters.length ? chapters : [{ title: fallbackTitle, paragraphs: [] }] };
}
