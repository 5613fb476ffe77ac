/**
 * What a bench run found: every figure beside its goal (the final table) and the latency samples
 * behind them (the SVG chart), so a reader sees the shape and not only the percentiles.
 */
export interface Figure {
  what: string;
  result: string;
  goal: string;
  met: boolean | null;
}

export interface Distribution {
  label: string;
  /** Latencies in ms. */
  values: number[];
}

export class BenchReport {
  readonly figures: Figure[] = [];
  readonly distributions: Distribution[] = [];

  /** A figure and its goal; `met` null when there is no goal, only a figure to watch. */
  figure(what: string, result: string, goal: string, met: boolean | null) {
    this.figures.push({ what, result, goal, met });
  }

  distribution(label: string, values: number[]) {
    this.distributions.push({ label, values });
  }

  /** The Markdown table the run ends with (also what docs/benchmarks.md shows). */
  table(): string {
    const rows = this.figures.map((f) =>
      `| ${f.what} | ${f.result} | ${f.goal} | ${f.met === null ? "–" : f.met ? "yes" : "**no**"} |`
    );
    return ["| what | result | goal | met |", "|---|---|---|---|", ...rows].join("\n");
  }
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
