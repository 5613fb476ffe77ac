import type { ParsedChapter } from "./chapters.ts";
import { normaliseWhitespace } from "./chapters.ts";
import { chaptersFromSpine, type SpineDocument } from "./epub-chapters.ts";
import { openEpubArchive, readEpubText } from "./epub-archive.ts";
import { invalidEpub } from "./epub-errors.ts";
import { readNavigation, resolveHref } from "./epub-navigation.ts";
import { localName, xmlElements } from "./epub-xml.ts";

/**
 * Most bytes the documents an upload reads (container, package, table of contents, spine) may
 * inflate to, counted as they inflate: past it, 413. Images and other files are never inflated.
 */
export const MAX_EPUB_UNPACKED_BYTES = 32 * 1024 * 1024;

/** The EPUB 2 guide's reference types that name front or back matter (OPF 2.0.1, 2.6). */
const GUIDE_MATTER_TYPES = new Set([
  "cover", "title-page", "toc", "index", "glossary", "acknowledgements", "bibliography", "colophon", "copyright-page",
  "dedication", "epigraph", "foreword", "loi", "lot", "notes", "preface",
]);

/**
 * Chapters of an EPUB (2 or 3): the package document found through META-INF/container.xml, its
 * spine read in order (non-linear items left out, each document once), cut into chapters by the
 * navigation (see chaptersFromSpine). Answers the package's own title too. Only the documents it
 * reads are inflated, within MAX_EPUB_UNPACKED_BYTES.
 */
export function parseEpubBook(bytes: Uint8Array, fallbackTitle: string): { title: string | null; chapters: ParsedChapter[] } {
  const archive = openEpubArchive(bytes, MAX_EPUB_UNPACKED_BYTES);
  const containerPath = "META-INF/container.xml";
  const container = readEpubText(archive, containerPath);
  if (container === null) throw invalidEpub("The EPUB has no META-INF/container.xml.");
  const rootfile = xmlElements(container, containerPath)
    .find((element) => localName(element.name) === "rootfile")?.attributes["full-path"];
  const packageDocument = rootfile ? readEpubText(archive, rootfile) : null;
  if (!rootfile || packageDocument === null) throw invalidEpub("The EPUB's container names no package document it holds.");

  const opf = xmlElements(packageDocument, rootfile);
  const manifest = new Map<string, { path: string; type: string; properties: string }>();
  for (const element of opf.filter((element) => localName(element.name) === "item")) {
    const { id, href } = element.attributes;
    if (id && href) {
      const location = resolveHref(rootfile, href);
      if (location === null) {
        throw invalidEpub(`The EPUB's manifest item "${id.slice(0, 100)}" has an href that is not valid percent-encoding.`);
      }
      manifest.set(id, { path: location.path, type: element.attributes["media-type"] ?? "", properties: element.attributes.properties ?? "" });
    }
  }
  const spine = opf.find((element) => localName(element.name) === "spine");
  const navPath = [...manifest.values()].find((item) => item.properties.split(/\s+/).includes("nav"))?.path ?? null;
  const ncxPath = manifest.get(spine?.attributes.toc ?? "")?.path ??
    [...manifest.values()].find((item) => item.type === "application/x-dtbncx+xml")?.path ?? null;
  // EPUB 2 marks where the text starts with the guide's "text" reference, and its matter by type.
  const references = opf.filter((element) => localName(element.name) === "reference" && element.attributes.href);
  const guideHref = references.find((element) => element.attributes.type === "text")?.attributes.href;
  const navigation = {
    ...readNavigation(archive, navPath, ncxPath, guideHref ? resolveHref(rootfile, guideHref) : null),
    matter: references
      .filter((element) => GUIDE_MATTER_TYPES.has(element.attributes.type?.toLowerCase() ?? ""))
      .flatMap((element) => resolveHref(rootfile, element.attributes.href) ?? []),
  };
  const packageTitle = opf.find((element) => localName(element.name) === "title")?.text;

  const itemrefs = opf.filter((element) => localName(element.name) === "itemref");
  if (itemrefs.length === 0) throw invalidEpub("The EPUB's spine lists no documents.");
  // A spine that lists one document many times would have it parsed as often: once is its place.
  const documents: SpineDocument[] = [];
  const listed = new Set<string>();
  for (const itemref of itemrefs) {
    if (itemref.attributes.linear === "no") continue;
    const item = manifest.get(itemref.attributes.idref ?? "");
    if (!item || !/html/.test(item.type) || item.path === navPath || listed.has(item.path)) continue;
    listed.add(item.path);
    documents.push({ path: item.path, read: () => readEpubText(archive, item.path) });
  }
  const chapters = chaptersFromSpine(documents, navigation);
  return {
    title: packageTitle ? normaliseWhitespace(packageTitle) || null : null,
    chapters: chapters.length ? chapters : [{ title: fallbackTitle, paragraphs: [] }],
  };
}
