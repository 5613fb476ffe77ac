/**
 * The little of PNG that Character Cards need: reading the tEXt chunks of a PNG (signature, each
 * chunk's length, type and CRC checked) and writing a minimal valid PNG (one transparent pixel)
 * that carries text chunks. No image is decoded or drawn.
 */

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
// zlib stream of one filter byte and one RGBA pixel (0, 0, 0, 0): the 1x1 image's IDAT.
const TRANSPARENT_PIXEL = [120, 218, 99, 96, 0, 2, 0, 0, 5, 0, 1];

/** The PNG is not one, or is damaged; the message says where. */
export class PngError extends Error {}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

const crcUpdate = (crc: number, bytes: Uint8Array) => {
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return crc;
};

/** CRC-32 as PNG computes it, over the chunk type and data. */
export function crc32(bytes: Uint8Array): number {
  return (crcUpdate(0xffffffff, bytes) ^ 0xffffffff) >>> 0;
}

const latin1 = (bytes: Uint8Array) => Array.from(bytes, (byte) => String.fromCharCode(byte)).join("");

/** A PNG's bytes read by range: the bytes themselves, or base64 decoded a piece at a time. */
export interface PngBytes {
  length: number;
  read(start: number, end: number): Uint8Array;
}

// The picture's chunks are CRC-checked this many bytes at a time, never decoded whole.
const BLOCK = 64 * 1024;

/**
 * A base64 PNG (whitespace, such as 76-character lines, ignored) as `PngBytes`: each range is
 * decoded on its own, so reading a card's text chunks never holds a second copy of the picture.
 * Throws `PngError` on anything that is not base64.
 */
export function base64PngBytes(base64: string): PngBytes {
  const text = /\s/.test(base64) ? base64.replace(/\s+/g, "") : base64;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw new PngError("not base64");
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const length = Math.floor((text.length - padding) * 3 / 4);
  return {
    length,
    read(start, end) {
      const first = Math.floor(start / 3);
      let binary: string;
      try {
        binary = atob(text.slice(first * 4, Math.ceil(end / 3) * 4));
      } catch {
        throw new PngError("not base64");
      }
      const skip = start - first * 3;
      const bytes = new Uint8Array(end - start);
      for (let i = 0; i < bytes.length; i++) bytes[i] = binary.charCodeAt(skip + i);
      return bytes;
    },
  };
}

const u32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at);

/** The tEXt chunks of a PNG, keyword to text (Latin-1), in order; throws `PngError` when damaged. */
export function readPngTextChunks(input: Uint8Array | PngBytes): Map<string, string> {
  const png: PngBytes = input instanceof Uint8Array ? { length: input.length, read: (start, end) => input.subarray(start, end) } : input;
  const signature = png.length < SIGNATURE.length ? undefined : png.read(0, SIGNATURE.length);
  if (!signature || SIGNATURE.some((byte, i) => signature[i] !== byte)) {
    throw new PngError("not a PNG: the signature is missing");
  }
  const texts = new Map<string, string>();
  let offset = SIGNATURE.length;
  let sawEnd = false;
  while (offset < png.length) {
    if (offset + 12 > png.length) throw new PngError(`a chunk at byte ${offset} is truncated`);
    const head = png.read(offset, offset + 8);
    const length = u32(head, 0);
    const type = latin1(head.subarray(4, 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw new PngError(`the chunk at byte ${offset} has no valid type`);
    const end = offset + 12 + length;
    if (length > 0x7fffffff || end > png.length) throw new PngError(`the ${type} chunk at byte ${offset} is truncated`);
    const data = type === "tEXt" ? png.read(offset + 8, offset + 8 + length) : undefined;
    let crc = crcUpdate(0xffffffff, head.subarray(4, 8));
    if (data) crc = crcUpdate(crc, data);
    else {
      for (let at = offset + 8; at < offset + 8 + length; at += BLOCK) {
        crc = crcUpdate(crc, png.read(at, Math.min(at + BLOCK, offset + 8 + length)));
      }
    }
    if (((crc ^ 0xffffffff) >>> 0) !== u32(png.read(end - 4, end), 0)) {
      throw new PngError(`the ${type} chunk at byte ${offset} fails its CRC check`);
    }
    if (data) {
      const separator = data.indexOf(0);
      if (separator < 1) throw new PngError(`the tEXt chunk at byte ${offset} has no keyword`);
      const keyword = latin1(data.subarray(0, separator));
      if (!texts.has(keyword)) texts.set(keyword, latin1(data.subarray(separator + 1)));
    }
    offset = end;
    if (type === "IEND") {
      sawEnd = true;
      break;
    }
  }
  if (!sawEnd) throw new PngError("the PNG ends without its IEND chunk");
  return texts;
}

/** One PNG chunk: length, type, data and its CRC. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(12 + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) bytes[4 + i] = type.charCodeAt(i);
  bytes.set(data, 8);
  view.setUint32(8 + data.length, crc32(bytes.subarray(4, 8 + data.length)));
  return bytes;
}

/** A PNG of `chunks` (IHDR first, IEND last), behind the signature. */
export function pngOf(chunks: Uint8Array[]): Uint8Array {
  return joined([new Uint8Array(SIGNATURE), ...chunks]);
}

/** The IHDR chunk of a `width` x `height` image of 8-bit RGBA pixels (deflate, no interlace). */
export function rgbaHeader(width: number, height: number): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8);
  return pngChunk("IHDR", header);
}

/** A tEXt chunk: keyword, NUL, Latin-1 text. */
function textChunk(keyword: string, text: string): Uint8Array {
  const data = new Uint8Array(keyword.length + 1 + text.length);
  for (let i = 0; i < keyword.length; i++) data[i] = keyword.charCodeAt(i);
  for (let i = 0; i < text.length; i++) data[keyword.length + 1 + i] = text.charCodeAt(i) & 0xff;
  return pngChunk("tEXt", data);
}

/** A valid 1x1 transparent PNG carrying `texts` (keyword, Latin-1 text: e.g. base64) as tEXt chunks. */
export function buildPngWithText(texts: readonly [string, string][]): Uint8Array {
  return pngOf([
    rgbaHeader(1, 1),
    ...texts.map(([keyword, text]) => textChunk(keyword, text)),
    pngChunk("IDAT", new Uint8Array(TRANSPARENT_PIXEL)),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
}

/** The PNG's chunks, in order, each whole (length, type, data, CRC); the PNG was read before. */
function chunksOf(png: Uint8Array): { type: string; bytes: Uint8Array }[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: { type: string; bytes: Uint8Array }[] = [];
  for (let offset = SIGNATURE.length; offset + 12 <= png.length;) {
    const end = offset + 12 + view.getUint32(offset);
    chunks.push({ type: latin1(png.subarray(offset + 4, offset + 8)), bytes: png.subarray(offset, end) });
    offset = end;
  }
  return chunks;
}

const isCardChunk = (chunk: { type: string; bytes: Uint8Array }) =>
  chunk.type === "tEXt" && /^(chara|ccv3)\0/.test(latin1(chunk.bytes.subarray(8, 14)));

const joined = (parts: Uint8Array[]) => {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
};

/** A card PNG (checked by `readPngTextChunks`) without its card: the picture alone, `chara`/`ccv3` left out. */
export function pictureWithoutCard(png: Uint8Array): Uint8Array {
  return joined([png.subarray(0, SIGNATURE.length), ...chunksOf(png).filter((c) => !isCardChunk(c)).map((c) => c.bytes)]);
}

/** `picture` (a PNG) carrying `texts` as tEXt chunks, just before its IEND. */
export function pictureWithText(picture: Uint8Array, texts: readonly [string, string][]): Uint8Array {
  const textChunks = texts.map(([keyword, text]) => textChunk(keyword, text));
  const chunks = chunksOf(picture).filter((c) => !isCardChunk(c));
  const end = chunks.findIndex((c) => c.type === "IEND");
  const parts = [...chunks.slice(0, end).map((c) => c.bytes), ...textChunks, ...chunks.slice(end).map((c) => c.bytes)];
  return joined([picture.subarray(0, SIGNATURE.length), ...parts]);
}

/** Base64 of UTF-8 text (what a card's chunk holds). */
export function utf8ToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

/** UTF-8 text from base64; throws `PngError` on anything that is not base64. */
export function base64ToUtf8(base64: string): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(base64ToBytes(base64));
}

/** Bytes from base64 (whitespace ignored); throws `PngError` on anything else. */
export function base64ToBytes(base64: string): Uint8Array {
  const clean = base64.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new PngError("not base64");
  let binary: string;
  try {
    binary = atob(clean);
  } catch {
    throw new PngError("not base64");
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Base64 of bytes. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
