import { Inflate, strFromU8 } from "fflate";
import { HttpError } from "../errors.ts";
import { epubTooLarge, invalidEpub } from "./epub-errors.ts";

/** Deflate's greatest expansion: one compressed byte inflates to at most this many. */
const MAX_DEFLATE_RATIO = 1032;
/** Compressed bytes each step takes beyond what the declared size still allows: ~1 MiB of slack. */
const STEP_SLACK_BYTES = 1024;
const MAX_STEP_BYTES = 64 * 1024;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

interface ArchiveEntry {
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeader: number;
}

/** The files of a zip archive, inflated one by one when first read. */
export interface EpubArchive {
  /** The file's bytes, or undefined when the archive has no such file. */
  read(path: string): Uint8Array | undefined;
  /** Bytes inflated so far (every file read counts once). */
  readonly unpackedBytes: number;
}

const notAZip = () => invalidEpub("The EPUB is not a readable zip archive.");

/**
 * Opens a zip archive by its central directory and inflates only the files asked for. A file
 * whose declared size would take the total past `maxUnpackedBytes` is refused (413) unread; one
 * that inflates past the size it declares (a zip bomb's lie) is refused (422) as soon as the
 * inflated bytes, counted as they come, pass it.
 */
export function openEpubArchive(bytes: Uint8Array, maxUnpackedBytes: number): EpubArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);

  // The end record is the last 22 bytes, or earlier by an archive comment of up to 65535 bytes.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw notAZip();

  const entries = new Map<string, ArchiveEntry>();
  let at = u32(end + 16);
  for (let count = u16(end + 10); count > 0; count--) {
    if (at + 46 > bytes.length || u32(at) !== CENTRAL_FILE_HEADER) throw notAZip();
    const nameLength = u16(at + 28);
    if (at + 46 + nameLength > bytes.length) throw notAZip();
    // Bit 11: the name is UTF-8; otherwise it is CP437, read as Latin-1 as fflate does.
    const name = strFromU8(bytes.subarray(at + 46, at + 46 + nameLength), (u16(at + 8) & 0x800) === 0);
    entries.set(name, { method: u16(at + 10), compressedSize: u32(at + 20), declaredSize: u32(at + 24), localHeader: u32(at + 42) });
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
  }

  const inflated = new Map<string, Uint8Array>();
  let unpackedBytes = 0;

  function compressedData(path: string, entry: ArchiveEntry): Uint8Array {
    const header = entry.localHeader;
    if (header + 30 > bytes.length || u32(header) !== LOCAL_FILE_HEADER) throw notAZip();
    const start = header + 30 + u16(header + 26) + u16(header + 28);
    if (start + entry.compressedSize > bytes.length) throw invalidEpub(`The EPUB's ${path} is cut short.`);
    return bytes.subarray(start, start + entry.compressedSize);
  }

  function inflate(path: string, data: Uint8Array, declaredSize: number): Uint8Array {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const stream = new Inflate((chunk) => {
      size += chunk.length;
      if (size > declaredSize) throw invalidEpub(`The EPUB's ${path} inflates past the ${declaredSize} bytes it declares.`);
      unpackedBytes += chunk.length;
      chunks.push(chunk);
    });
    try {
      // Each step is small enough that its output can pass the declared size by ~1 MiB at most.
      for (let offset = 0; offset < data.length;) {
        const allowed = Math.max(0, declaredSize - size);
        const step = Math.min(MAX_STEP_BYTES, Math.ceil(allowed / MAX_DEFLATE_RATIO) + STEP_SLACK_BYTES);
        stream.push(data.subarray(offset, offset + step), offset + step >= data.length);
        offset += step;
      }
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw invalidEpub(`The EPUB's ${path} is not readable deflate data.`);
    }
    const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  return {
    get unpackedBytes() {
      return unpackedBytes;
    },
    read(path) {
      const entry = entries.get(path);
      if (!entry) return undefined;
      const cached = inflated.get(path);
      if (cached) return cached;
      const data = compressedData(path, entry);
      const size = entry.method === STORED ? data.length : entry.declaredSize;
      // Declared sizes are checked before inflating, and held to while inflating: together a cap.
      if (unpackedBytes + size > maxUnpackedBytes) throw epubTooLarge(maxUnpackedBytes);
      let file: Uint8Array;
      if (entry.method === STORED) {
        unpackedBytes += data.length;
        file = data;
      } else if (entry.method === DEFLATED) {
        file = data.length === 0 ? new Uint8Array(0) : inflate(path, data, entry.declaredSize);
      } else {
        throw invalidEpub(`The EPUB's ${path} uses an unsupported compression method (${entry.method}).`);
      }
      inflated.set(path, file);
      return file;
    },
  };
}

/** A document of the archive as text, or null when absent; NUL is not XML (and no text column stores it). */
export function readEpubText(archive: EpubArchive, path: string): string | null {
  const bytes = archive.read(path);
  if (!bytes) return null;
  const text = new TextDecoder().decode(bytes);
  if (text.includes("\u0000")) throw invalidEpub(`The EPUB's ${path} contains the NUL character.`);
  return text;
}
