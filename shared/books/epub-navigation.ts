import { normaliseWhitespace } from "./chapters.ts";
import { type EpubArchive, readEpubText } from "./epub-archive.ts";
import { localName, xmlElements } from "./epub-xml.ts";

/** A place in the book: a document of the archive and, when the link has one, an id inside it. */
export interface EpubLocation {
  path: string;
  fragment: string | null;
}

/** One entry of the table of contents, in reading order. */
export interface NavigationEntry extends EpubLocation {
  title: string;
}

/** What the book's navigation says: its table of contents and where its body matter starts. */
export interface EpubNavigation {
  entries: NavigationEntry[];
  bodymatter: EpubLocation | null;
  /** Places the package's guide names as front or back matter (EPUB 2 has no `epub:type`). */
  matter?: EpubLocation[];
}

/** Resolves `href` against the folder of `base` inside the zip; null if its escapes are broken. */
export function resolveHref(base: string, href: string): EpubLocation | null {
  const hash = href.indexOf("#");
  let path: string;
  let fragment: string | null;
  try {
    path = decodeURIComponent(hash < 0 ? href : href.slice(0, hash));
    fragment = hash < 0 ? null : decodeURIComponent(href.slice(hash + 1)) || null;
  } catch {
    return null;
  }
  const parts = base.split("/").slice(0, -1);
  for (const part of path.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return { path: parts.join("/"), fragment };
}

const types = (attributes: Record<string, string>) => (attributes["epub:type"] ?? "").split(/\s+/).map(localName);

/** The EPUB 3 nav document's `toc` entries and its landmarks' `bodymatter` link. */
function readNavDocument(nav: string, navPath: string): EpubNavigation {
  const entries: NavigationEntry[] = [];
  let bodymatter: EpubLocation | null = null;
  let section = "";
  for (const element of xmlElements(nav, navPath)) {
    const name = localName(element.name);
    // A nav without a type is taken for the table of contents, as readers do.
    if (name === "nav") section = types(element.attributes).find((type) => type === "landmarks" || type === "page-list") ?? "toc";
    if (name !== "a" || !element.attributes.href) continue;
    const location = resolveHref(navPath, element.attributes.href);
    if (location === null) continue;
    if (section === "toc") entries.push({ ...location, title: normaliseWhitespace(element.text) });
    if (section === "landmarks" && !bodymatter && types(element.attributes).includes("bodymatter")) bodymatter = location;
  }
  return { entries, bodymatter };
}

/** The EPUB 2 NCX's navPoints, in document order. */
function readNcx(ncx: string, ncxPath: string): NavigationEntry[] {
  const entries: NavigationEntry[] = [];
  let label: string | null = null;
  for (const element of xmlElements(ncx, ncxPath)) {
    const name = localName(element.name);
    if (name === "navlabel") label = normaliseWhitespace(element.text);
    if (name === "content" && element.attributes.src && label) {
      const location = resolveHref(ncxPath, element.attributes.src);
      if (location !== null) entries.push({ ...location, title: label });
      label = null;
    }
  }
  return entries;
}

/**
 * The book's navigation: the EPUB 3 nav document's table of contents, else the NCX's; broken
 * links are skipped. `bodymatter` comes from the nav's landmarks, else the package's guide `text`.
 */
export function readNavigation(
  archive: EpubArchive,
  navPath: string | null,
  ncxPath: string | null,
  guideText: EpubLocation | null,
): EpubNavigation {
  const nav = navPath ? readEpubText(archive, navPath) : null;
  const fromNav = navPath && nav !== null ? readNavDocument(nav, navPath) : { entries: [], bodymatter: null };
  let entries = fromNav.entries;
  if (entries.length === 0 && ncxPath) {
    const ncx = readEpubText(archive, ncxPath);
    if (ncx !== null) entries = readNcx(ncx, ncxPath);
  }
  return { entries, bodymatter: fromNav.bodymatter ?? guideText };
}
