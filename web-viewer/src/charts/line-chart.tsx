/** Time series with uPlot: several named series over a shared x axis; legend entries toggle series. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { palette, themeVersion } from '../theme.ts';

export interface Series {
  readonly label: string;
  /** y per x (null: no value there). */
  readonly values: readonly (number | null)[];
}

export interface LineChartProps {
  readonly title: string;
  readonly xLabel: string;
  readonly x: readonly number[];
  readonly series: readonly Series[];
  readonly height?: number;
  readonly chart: string;
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569', '#ea580c'];

export function LineChart({ title, xLabel, x, series, height, chart }: LineChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const version = themeVersion.value;
  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const p = palette();
    const axis = { stroke: p.muted, grid: { stroke: p.line, width: 1 }, ticks: { stroke: p.line, width: 1 } };
    const options: uPlot.Options = {
      title,
      width: Math.max(280, element.clientWidth),
      height: height ?? 280,
      scales: { x: { time: false } },
      axes: [{ ...axis, label: xLabel }, { ...axis }],
      series: [{ label: xLabel }, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length]!, width: 2, spanGaps: true }))],
    };
    const data = [x.slice(), ...series.map((s) => s.values.map((v) => (v === null ? null : v)))] as uPlot.AlignedData;
    const plot = new uPlot(options, data, element);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height: height ?? 280 }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [x, series, version]);
  return <div ref={host} class="chart" data-chart={chart} />;
}
