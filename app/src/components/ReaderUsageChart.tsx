import uPlot from "uplot";
import { useUplot } from "./useUplot.ts";
import type { UsageDay } from "../../../sdk/index.ts";

const CHATS_COLOUR = "#4338ca";
const MODELS_COLOUR = "#c2410c";

/** Seconds since the epoch at the start of a UTC day ("2026-12-01"), as uPlot's time axis takes them. */
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/**
 * The reader's last days as a uPlot chart: chat messages (left axis) and models created (right
 * axis) per UTC day. It follows its container's width. The canvas is a picture for sighted
 * readers; the same numbers are in the table the screen shows beside it.
 */
export function ReaderUsageChart({ days, label }: { days: UsageDay[]; label: string }) {
  const container = useUplot(() => {
    const data: uPlot.AlignedData = [
      days.map((day) => dayStart(day.day)),
      days.map((day) => day.chats),
      days.map((day) => day.models),
    ];
    const bars = uPlot.paths.bars!({ size: [0.6, 24] });
    return {
      minWidth: 280,
      data,
      options: {
        height: 240,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        cursor: { drag: { x: false, y: false } },
        legend: { show: true },
        // Half a day either side, so the first and last days (today) are not cut at the edges.
        scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, chats: { range: (_u, _min, max) => [0, Math.max(5, max)] }, models: { range: (_u, _min, max) => [0, Math.max(3, max)] } },
        series: [
          { label: "Day", value: (_u, ts) => (ts == null ? "–" : new Date(ts * 1000).toISOString().slice(0, 10)) },
          { label: "Chat messages", scale: "chats", stroke: CHATS_COLOUR, fill: "rgba(67, 56, 202, 0.18)", paths: bars },
          { label: "Models created", scale: "models", stroke: MODELS_COLOUR, width: 2, points: { size: 7, fill: MODELS_COLOUR } },
        ],
        axes: [
          { stroke: "#4b5563", grid: { stroke: "#ece9e2" } },
          { scale: "chats", stroke: CHATS_COLOUR, grid: { stroke: "#ece9e2" } },
          { scale: "models", side: 1, stroke: MODELS_COLOUR, grid: { show: false }, incrs: [1, 2, 5, 10, 20, 50] },
        ],
      },
    };
  }, [days]);

  return <div ref={container} className="reader-usage-chart" role="img" aria-label={label} />;
}
