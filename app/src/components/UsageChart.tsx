import { useUplot } from "./useUplot.ts";

/** One line of a chart: its label, values (one per day) and colour. */
export interface ChartSeries {
  label: string;
  values: number[];
  color: string;
}

/**
 * A line chart of daily figures with uPlot, sized to its container (it follows the screen's
 * width). The chart itself is a picture for sighted readers: `summary` says the same in words,
 * and the screen shows the figures as a table too.
 */
export function UsageChart({ title, summary, days, series, height = 220 }: {
  title: string;
  summary: string;
  /** YYYY-MM-DD (UTC), oldest first. */
  days: string[];
  series: ChartSeries[];
  height?: number;
}) {
  const container = useUplot(() => ({
    minWidth: 240,
    options: {
      height,
      series: [{}, ...series.map((line) => ({ label: line.label, stroke: line.color, width: 2, points: { show: false } }))],
      axes: [{ stroke: "#575c68" }, { stroke: "#575c68", size: 56 }],
      scales: { x: { time: true } },
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
    },
    data: [days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000), ...series.map((line) => line.values)],
  }), [days, series, height]);

  return (
    <figure className="usage-chart card">
      <figcaption>{title}</figcaption>
      <div ref={container} role="img" aria-label={`${title}: ${summary}`} />
    </figure>
  );
}
