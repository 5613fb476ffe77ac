import { Deflate, strToU8, zipSync } from "fflate";

// Hostile EPUBs, built in the test: each once answered 500 or held the process for seconds.

const CONTAINER = `<container><rootfiles><rootfile full-path="book.opf"/></rootfiles></container>`;

const CHAPTER = "The text of chapter one, long enough to be a chapter and not a title page. ".repeat(5);

/** A small valid EPUB 2 of one chapter, whose title, chapter text, manifest href or files can be replaced. */
export function epubWith(options: { title?: string; chapter?: string; href?: string; files?: Record<string, Uint8Array> } = {}) {
  return zipSync({
    mimetype: strToU8("application/epub+zip"),
    "META-INF/container.xml": strToU8(CONTAINER),
    "book.opf": strToU8(`<package><metadata><dc:title>${options.title ?? "A Title"}</dc:title></metadata><manifest>` +
      `<item id="a" href="${options.href ?? "a.html"}" media-type="application/xhtml+xml"/></manifest>` +
      `<spine><itemref idref="a"/></spine></package>`),
    "a.html": strToU8(`<html><body><h1>One</h1><p>${options.chapter ?? CHAPTER}</p></body></html>`),
    ...options.files,
  });
}

/** A zip of one deflated file, its sizes as declared: zipSync cannot lie about them. */
function zipOneFile(name: string, deflated: Uint8Array, declaredSize: number): Uint8Array {
  const nameBytes = strToU8(name);
  const local = new Uint8Array(30 + nameBytes.length);
  const localView = new DataView(local.buffer);
  localView.setUint32(0, 0x04034b50, true);
  localView.setUint16(4, 20, true);
  localView.setUint16(8, 8, true);
  localView.setUint32(18, deflated.length, true);
  localView.setUint32(22, declaredSize, true);
  localView.setUint16(26, nameBytes.length, true);
  local.set(nameBytes, 30);
  const central = new Uint8Array(46 + nameBytes.length);
  const centralView = new DataView(central.buffer);
  centralView.setUint32(0, 0x02014b50, true);
  centralView.setUint16(4, 20, true);
  centralView.setUint16(6, 20, true);
  centralView.setUint16(10, 8, true);
  centralView.setUint32(20, deflated.length, true);
  centralView.setUint32(24, declaredSize, true);
  centralView.setUint16(28, nameBytes.length, true);
  centralView.setUint32(42, 0, true);
  central.set(nameBytes, 46);
  const end = new Uint8Array(22);
  const endView = new DataView(end.buffer);
  endView.setUint32(0, 0x06054b50, true);
  endView.setUint16(8, 1, true);
  endView.setUint16(10, 1, true);
  endView.setUint32(12, central.length, true);
  endView.setUint32(16, local.length + deflated.length, true);
  const zip = new Uint8Array(local.length + deflated.length + central.length + end.length);
  zip.set(local, 0);
  zip.set(deflated, local.length);
  zip.set(central, local.length + deflated.length);
  zip.set(end, local.length + deflated.length + central.length);
  return zip;
}

/**
 * A zip of about 1 MB whose META-INF/container.xml declares 4 KiB (or `declaredBytes`) and
 * inflates to `inflatedMiB` MiB of zeros: one MiB deflated and sync-flushed (byte-aligned, so
 * copies concatenate), repeated.
 */
export function lyingZipBomb(inflatedMiB = 1024, declaredBytes = 4096): Uint8Array {
  const pieces: Uint8Array[] = [];
  const deflate = new Deflate({ level: 9 }, (chunk) => pieces.push(chunk));
  deflate.push(new Uint8Array(1024 * 1024));
  deflate.flush(true);
  const mebibyte = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    mebibyte.set(piece, offset);
    offset += piece.length;
  }
  const finalBlock = Uint8Array.of(0x03, 0x00);
  const stream = new Uint8Array(mebibyte.length * inflatedMiB + finalBlock.length);
  for (let i = 0; i < inflatedMiB; i++) stream.set(mebibyte, i * mebibyte.length);
  stream.set(finalBlock, mebibyte.length * inflatedMiB);
  return zipOneFile("META-INF/container.xml", stream, declaredBytes);
}

/** A container.xml nested `depth` levels deep, with text at every level (92 bytes or so zipped). */
export function deeplyNestedContainer(depth = 8000): Uint8Array {
  return zipSync({ "META-INF/container.xml": strToU8("<a>text ".repeat(depth) + "</a>".repeat(depth)) }, { level: 9 });
}

/**
 * An EPUB 2 whose NCX has `count` entries, each pointing at its own id inside one document: every
 * entry is a chapter, so the book is refused past the chapter limit, once cut (linearly) by them.
 */
export function manyNavEntries(count: number): Uint8Array {
  const ids = Array.from({ length: count }, (_, i) => `s${i}`);
  return zipSync({
    mimetype: strToU8("application/epub+zip"),
    "META-INF/container.xml": strToU8(CONTAINER),
    "book.opf": strToU8(`<package><manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>` +
      `<item id="a" href="a.html" media-type="application/xhtml+xml"/></manifest><spine toc="ncx"><itemref idref="a"/></spine></package>`),
    "toc.ncx": strToU8(`<ncx><navMap>${ids.map((id) => `<navPoint><navLabel><text>${id}</text></navLabel><content src="a.html#${id}"/></navPoint>`).join("")}</navMap></ncx>`),
    "a.html": strToU8(`<html><body>${ids.map((id) => `<section id="${id}"><p>Text of ${id}.</p></section>`).join("")}</body></html>`),
  });
}
