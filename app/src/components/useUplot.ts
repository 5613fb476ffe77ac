import { type DependencyList, useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** What a chart draws: uPlot's options without the width, which follows the container. */
export interface ChartSpec {
  options: Omit<uPlot.Options, "width">;
  data: uPlot.AlignedData;
  /** The narrowest the chart gets, however narrow its container. */
  minWidth: number;
}

/**
 * Draws a uPlot chart into the element the returned ref is put on, as wide as that element, and
 * redraws it at the new width when the element is resized. `spec` runs again when `deps` change.
 * Only the lazily loaded screens use it, so uPlot stays out of the app's first load.
 */
export function useUplot(spec: () => ChartSpec, deps: DependencyList) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const { options, data, minWidth } = spec();
    const width = () => Math.max(minWidth, element.clientWidth);
    const chart = new uPlot({ ...options, width: width() }, data, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: width(), height: options.height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
    // The caller names what the chart depends on, as with useMemo.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return container;
}
