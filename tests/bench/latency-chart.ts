import { type Distribution, percentile } from "./report.ts";

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/**
 * An SVG of latency distributions: one row per distribution on a shared log-scale axis, each
 * sample a faint tick (the shape), with p50 and p99 marked and labelled.
 */
export function latencyChartSvg(distributions: Distribution[], title: string): string {
  const rowHeight = 46;
  const left = 330;
  const width = 980;
  const plot = width - left - 30;
  const top = 46;
  const height = top + rowHeight * distributions.length + 40;
  const all = distributions.flatMap((d) => d.values).filter((v) => v > 0);
  const min = Math.max(0.1, Math.min(...all));
  const max = Math.max(...all);
  const [logMin, logMax] = [Math.log10(min), Math.log10(max * 1.05)];
  const x = (v: number) => left + ((Math.log10(Math.max(v, min)) - logMin) / (logMax - logMin)) * plot;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
  ];
  // Axis ticks at 1-2-5 steps.
  for (let decade = Math.floor(logMin); decade <= Math.ceil(logMax); decade++) {
    for (const step of [1, 2, 5]) {
      const value = step * 10 ** decade;
      if (value < min || value > max * 1.05) continue;
      const at = x(value).toFixed(1);
      parts.push(`<line x1="${at}" x2="${at}" y1="${top - 8}" y2="${height - 34}" stroke="#e5e5e5"/>`);
      parts.push(`<text x="${at}" y="${height - 18}" text-anchor="middle" fill="#555">${value >= 1 ? value : value.toFixed(1)} ms</text>`);
    }
  }
  distributions.forEach((d, row) => {
    const y = top + row * rowHeight;
    parts.push(`<text x="${left - 10}" y="${y + 14}" text-anchor="end">${escape(d.label)}</text>`);
    for (const v of d.values) {
      parts.push(`<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${y + 2}" y2="${y + 22}" stroke="#2b6cb0" stroke-opacity="0.12"/>`);
    }
    for (const [p, color] of [[50, "#111"], [99, "#c53030"]] as const) {
      const value = percentile(d.values, p);
      const at = x(value).toFixed(1);
      parts.push(`<line x1="${at}" x2="${at}" y1="${y}" y2="${y + 24}" stroke="${color}" stroke-width="2"/>`);
      parts.push(`<text x="${at}" y="${y + 33}" text-anchor="middle" font-size="10" fill="${color}">p${p} ${value.toFixed(1)}</text>`);
    }
  });
  parts.push("</svg>");
  return parts.join("\n");
}
