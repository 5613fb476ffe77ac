/**
 * Draws the reader app's home-screen icons (a white speech bubble on the brand indigo) as PNGs into
 * app/public/icons: 192 and 512 px with rounded corners, and a full-bleed 512 px maskable one whose
 * drawing stays inside the safe zone. Run again only to change them:
 *   deno run --allow-write=app/public/icons scripts/app-icons.ts
 */
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { pngChunk, pngOf, rgbaHeader } from "../shared/models/card-png.ts";

const INDIGO = [0x31, 0x2e, 0x81] as const;
const WHITE = [0xff, 0xff, 0xff] as const;
const SAMPLES = 4; // per axis: 16 samples a pixel smooth the edges

type Color = readonly [number, number, number];

/** Inside a rounded rectangle (coordinates as shares of the icon's side). */
function inRoundedRect(x: number, y: number, left: number, top: number, right: number, bottom: number, radius: number) {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function inTriangle(x: number, y: number, [a, b, c]: [number, number][]) {
  const side = (p: [number, number], q: [number, number]) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const d1 = side(a, b), d2 = side(b, c), d3 = side(c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** The colour at a point, or null outside the icon (transparent). */
function colorAt(x: number, y: number, maskable: boolean): Color | null {
  const inside = maskable || inRoundedRect(x, y, 0, 0, 1, 1, 0.22);
  if (!inside) return null;
  const bubble = inRoundedRect(x, y, 0.24, 0.28, 0.76, 0.64, 0.08) ||
    inTriangle(x, y, [[0.33, 0.6], [0.29, 0.76], [0.47, 0.6]]);
  if (!bubble) return INDIGO;
  const line = (top: number, right: number) => inRoundedRect(x, y, 0.32, top, right, top + 0.04, 0.02);
  return line(0.36, 0.68) || line(0.44, 0.68) || line(0.52, 0.56) ? INDIGO : WHITE;
}

function pixels(size: number, maskable: boolean): Uint8Array {
  const rows = new Uint8Array(size * (size * 4 + 1));
  for (let py = 0; py < size; py++) {
    rows[py * (size * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const color = colorAt((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size, maskable);
          if (!color) continue;
          r += color[0];
          g += color[1];
          b += color[2];
          a++;
        }
      }
      const at = py * (size * 4 + 1) + 1 + px * 4;
      // Colour averaged over the covered samples; coverage is the alpha.
      rows.set(a ? [Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((255 * a) / SAMPLES ** 2)] : [0, 0, 0, 0], at);
    }
  }
  return rows;
}

function png(size: number, maskable: boolean): Uint8Array {
  return pngOf([
    rgbaHeader(size, size),
    pngChunk("IDAT", new Uint8Array(deflateSync(pixels(size, maskable), { level: 9 }))),
    pngChunk("IEND", new Uint8Array()),
  ]);
}

const dir = new URL("../app/public/icons/", import.meta.url).pathname;
writeFileSync(`${dir}icon-192.png`, png(192, false));
writeFileSync(`${dir}icon-512.png`, png(512, false));
writeFileSync(`${dir}icon-maskable-512.png`, png(512, true));
