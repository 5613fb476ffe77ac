import { chapterTitle, FRONT_MATTER_CHARS, normaliseWhitespace, type ParsedChapter } from "./chapters.ts";
import type { EpubNavigation, NavigationEntry } from "./epub-navigation.ts";
import { xhtmlSegments } from "./epub-xml.ts";

/** A linear spine document: its path and a reader for its text (null when the archive lacks it). */
export interface SpineDocument {
  path: string;
  read: () => string | null;
}

/** The heading is dropped when the title already says it ("Letter I", "190" in "190 A Four-Leaved Clover"). */
function chapterText(title: string | undefined, heading: string | null, paragraphs: string[]): string[] {
  if (!heading) return paragraphs;
  const said = title && normaliseWhitespace(title).toLowerCase().includes(normaliseWhitespace(heading).toLowerCase());
  return said ? paragraphs : [heading, ...paragraphs];
}

/**
 * The story's chapters, in spine order: each table-of-contents entry starts one, at its document
 * or at the id its link points to, so one file with many entries gives many chapters. A part typed
 * as front or back matter (`epub:type` title page, preface, endnotes...; the EPUB 2 guide's types)
 * is never a chapter. An entry is one even before the body matter's start (the landmark only
 * tells where untitled text starts counting), unless it holds no text but its title (a part title).
 * Text with no entry of its own continues the chapter before it, into the next file too (converters
 * split long chapters); with none before, it is a chapter only with enough text.
 */
export function chaptersFromSpine(spine: SpineDocument[], navigation: EpubNavigation): ParsedChapter[] {
  // Entries by document, then by id (the first entry for a place wins): lookups stay linear in a huge nav.
  const entriesByPath = new Map<string, Map<string | null, NavigationEntry>>();
  for (const entry of navigation.entries) {
    const here = entriesByPath.get(entry.path) ?? new Map<string | null, NavigationEntry>();
    if (!here.has(entry.fragment)) here.set(entry.fragment, entry);
    entriesByPath.set(entry.path, here);
  }
  // A body-matter link to a document outside the linear spine would hide the whole book.
  const bodymatter = spine.some((document) => document.path === navigation.bodymatter?.path) ? navigation.bodymatter : null;
  let started = bodymatter === null;
  const matterPlaces = new Set((navigation.matter ?? []).map((place) => `${place.path}#${place.fragment ?? ""}`));

  const chapters: ParsedChapter[] = [];
  let previous: ParsedChapter | null = null;
  for (const document of spine) {
    const xhtml = document.read();
    if (xhtml === null) continue;
    const entries = entriesByPath.get(document.path) ?? new Map<string | null, NavigationEntry>();
    const anchors = new Set([...entries.keys()].filter((fragment): fragment is string => fragment !== null));
    for (const place of navigation.matter ?? []) if (place.path === document.path && place.fragment) anchors.add(place.fragment);
    const startsHere = bodymatter?.path === document.path;
    if (startsHere && bodymatter.fragment) anchors.add(bodymatter.fragment);
    const segments = xhtmlSegments(xhtml, document.path, anchors);
    // A body-matter id the document does not hold: the body starts with the document.
    const startAnchor = startsHere && segments.some((segment) => segment.anchor === bodymatter.fragment) ? bodymatter.fragment : null;
    // A link to an id the document lacks leads to its start, as a reader would take it.
    const found = new Set<string | null>(segments.map((segment) => segment.anchor));
    for (const segment of segments) {
      if (startsHere && segment.anchor === startAnchor) started = true;
      const entry = entries.get(segment.anchor) ??
        (segment.anchor === null ? [...entries.values()].find((candidate) => !found.has(candidate.fragment)) : undefined);
      const guideMatter = matterPlaces.has(`${document.path}#${segment.anchor ?? ""}`);
      if (segment.matter || guideMatter || (!started && !entry)) {
        previous = null;
        continue;
      }
      if (!entry && previous) {
        previous.paragraphs.push(...chapterText(undefined, segment.heading, segment.paragraphs));
        continue;
      }
      if (!entry && segment.paragraphs.join("\n\n").length < FRONT_MATTER_CHARS) continue;
      previous = {
        title: chapterTitle(entry?.title ?? segment.heading ?? "", `Chapter ${chapters.length + 1}`),
        paragraphs: chapterText(entry?.title ?? segment.heading ?? undefined, segment.heading, segment.paragraphs),
      };
      chapters.push(previous);
    }
  }
  return chapters;
}
