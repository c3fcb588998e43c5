/**
 * An ECharts chart. The figures behind every chart are also shown as text in a table next to it,
 * so the chart is a picture of them (`role="img"` with a label) and screen readers read the table.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { EChartsCoreOption } from 'echarts/core';

/** Colours with enough contrast on white, distinguishable for common colour-vision deficiencies. */
export const PALETTE = ['#1f5fa8', '#d9822b', '#2e8540', '#b0306a', '#6f42c1', '#00838f', '#8d6e00', '#5b6770'];

/** A chart of `option`, resized with its container. */
export function Chart({ option, label, height = 280 }: { option: EChartsCoreOption; label: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { setOption(o: EChartsCoreOption): void; resize(): void; dispose(): void } | undefined;
    let ro: ResizeObserver | undefined;
    void import('../lib/echarts').then(({ echarts }) => {
      if (disposed || !el.current) return;
      chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
      chart.setOption({ color: PALETTE, aria: { enabled: true }, animation: false, textStyle: { fontFamily: 'inherit' }, ...option });
      ro = new ResizeObserver(() => chart?.resize());
      ro.observe(el.current);
    });
    return () => {
      disposed = true;
      ro?.disconnect();
      chart?.dispose();
    };
  }, [JSON.stringify(option)]);
  return <div ref={el} class="chart" role="img" aria-label={label} style={{ height: `${height}px` }} />;
}
