import { readFileSync } from "node:fs";
import { crc32, utf8ToBase64 } from "../../shared/models/card-png.ts";

/** SillyTavern's bundled Seraphina card, the JSON of its PNG's `chara` chunk (tests/fixtures/cards22). */
export const seraphinaJson = readFileSync(new URL("../fixtures/cards22/seraphina.chara.json", import.meta.url), "utf8");

function chunk(type: string, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(12 + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, data.length);
  bytes.set(new TextEncoder().encode(type), 4);
  bytes.set(data, 8);
  view.setUint32(8 + data.length, crc32(bytes.subarray(4, 8 + data.length)));
  return bytes;
}

/**
 * A card PNG laid out as SillyTavern writes one (IHDR, the picture's IDAT, then the `chara`
 * chunk, IEND), with `pictureBytes` of noise as its picture: a large card without a large file.
 */
export function largeCardPng(cardJson: string, pictureBytes: number): Uint8Array {
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, 1024);
  new DataView(header.buffer).setUint32(4, 1024);
  header.set([8, 6, 0, 0, 0], 8);
  const picture = new Uint8Array(pictureBytes);
  for (let i = 0; i < picture.length; i++) picture[i] = (i * 2654435761) >>> 24; // incompressible-looking
  const text = new TextEncoder().encode(`chara\0${utf8ToBase64(cardJson)}`);
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", picture), chunk("tEXt", text), chunk("IEND", new Uint8Array(0))];
  const png = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    png.set(part, at);
    at += part.length;
  }
  return png;
}

/** Base64 in 76-character lines, as most encoders write it. */
export const wrapped = (base64: string) => base64.replace(/.{76}/g, "$&\r\n");
