import { chapterTitle, FRONT_MATTER_CHARS, normaliseWhitespace, type ParsedChapter } from "./chapters.ts";
import { type EpubArchive, openEpubArchive } from "./epub-archive.ts";
import { invalidEpub } from "./epub-errors.ts";
import { localName, xhtmlParagraphs, xmlElements } from "./epub-xml.ts";

/**
 * Most bytes the documents an upload reads (container, package, table of contents, spine) may
 * inflate to, counted as they inflate: past it, 413. Images and other files are never inflated.
 */
export const MAX_EPUB_UNPACKED_BYTES = 32 * 1024 * 1024;

/** Resolves `href` against the folder of `base` inside the zip, without a fragment; null if its escapes are broken. */
function resolveHref(base: string, href: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(href.split("#")[0]);
  } catch {
    return null;
  }
  const parts = base.split("/").slice(0, -1);
  for (const part of path.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}

/** A document of the archive as text; NUL is not XML (and no text column stores it). */
function readDocument(archive: EpubArchive, path: string): string | null {
  const bytes = archive.read(path);
  if (!bytes) return null;
  const text = new TextDecoder().decode(bytes);
  if (text.includes("\u0000")) throw invalidEpub(`The EPUB's ${path} contains the NUL character.`);
  return text;
}

/** Chapter titles by document path, from the EPUB 3 nav document or the EPUB 2 NCX; broken links are skipped. */
function tableOfContents(archive: EpubArchive, navPath: string | null, ncxPath: string | null) {
  const titles = new Map<string, string>();
  const nav = navPath ? readDocument(archive, navPath) : null;
  if (navPath && nav !== null) {
    // Only the table of contents (epub:type="toc"), not the landmarks or the page list.
    let inToc = false;
    for (const element of xmlElements(nav, navPath)) {
      if (localName(element.name) === "nav") inToc = (element.attributes["epub:type"] ?? "toc").includes("toc");
      if (inToc && localName(element.name) === "a" && element.attributes.href) {
        const path = resolveHref(navPath, element.attributes.href);
        if (path !== null && !titles.has(path)) titles.set(path, normaliseWhitespace(element.text));
      }
    }
  }
  const ncx = titles.size === 0 && ncxPath ? readDocument(archive, ncxPath) : null;
  if (ncxPath && ncx !== null) {
    let label: string | null = null;
    for (const element of xmlElements(ncx, ncxPath)) {
      const name = localName(element.name);
      if (name === "navlabel") label = normaliseWhitespace(element.text);
      if (name === "content" && element.attributes.src && label) {
        const path = resolveHref(ncxPath, element.attributes.src);
        if (path !== null && !titles.has(path)) titles.set(path, label);
        label = null;
      }
    }
  }
  return titles;
}

/**
 * Chapters of an EPUB (2 or 3): the package document found through META-INF/container.xml, its
 * spine read in order (non-linear items left out, each document once); each XHTML document is a
 * chapter titled by the nav document or the NCX, else by its first heading. A document with no
 * title and little text (a cover, a title page) is not a chapter. Answers the package's own title
 * too. Only the documents it reads are inflated, within MAX_EPUB_UNPACKED_BYTES.
 */
export function parseEpubBook(bytes: Uint8Array, fallbackTitle: string): { title: string | null; chapters: ParsedChapter[] } {
  const archive = openEpubArchive(bytes, MAX_EPUB_UNPACKED_BYTES);
  const containerPath = "META-INF/container.xml";
  const container = readDocument(archive, containerPath);
  if (container === null) throw invalidEpub("The EPUB has no META-INF/container.xml.");
  const rootfile = xmlElements(container, containerPath)
    .find((element) => localName(element.name) === "rootfile")?.attributes["full-path"];
  const packageDocument = rootfile ? readDocument(archive, rootfile) : null;
  if (!rootfile || packageDocument === null) throw invalidEpub("The EPUB's container names no package document it holds.");

  const opf = xmlElements(packageDocument, rootfile);
  const manifest = new Map<string, { path: string; type: string; properties: string }>();
  for (const element of opf.filter((element) => localName(element.name) === "item")) {
    const { id, href } = element.attributes;
    if (id && href) {
      const path = resolveHref(rootfile, href);
      if (path === null) {
        throw invalidEpub(`The EPUB's manifest item "${id.slice(0, 100)}" has an href that is not valid percent-encoding.`);
      }
      manifest.set(id, { path, type: element.attributes["media-type"] ?? "", properties: element.attributes.properties ?? "" });
    }
  }
  const spine = opf.find((element) => localName(element.name) === "spine");
  const navPath = [...manifest.values()].find((item) => item.properties.split(/\s+/).includes("nav"))?.path ?? null;
  const ncxPath = manifest.get(spine?.attributes.toc ?? "")?.path ??
    [...manifest.values()].find((item) => item.type === "application/x-dtbncx+xml")?.path ?? null;
  const titles = tableOfContents(archive, navPath, ncxPath);
  const packageTitle = opf.find((element) => localName(element.name) === "title")?.text;

  const chapters: ParsedChapter[] = [];
  const itemrefs = opf.filter((element) => localName(element.name) === "itemref");
  if (itemrefs.length === 0) throw invalidEpub("The EPUB's spine lists no documents.");
  // A spine that lists one document many times would have it parsed as often: once is its place.
  const read = new Set<string>();
  for (const itemref of itemrefs) {
    if (itemref.attributes.linear === "no") continue;
    const item = manifest.get(itemref.attributes.idref ?? "");
    if (!item || !/html/.test(item.type) || item.path === navPath || read.has(item.path)) continue;
    read.add(item.path);
    const document = readDocument(archive, item.path);
    if (document === null) continue;
    const { heading, paragraphs } = xhtmlParagraphs(document, item.path);
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
