/**
 * The hourly chart, drawn by uPlot on a canvas. uPlot sizes and places its elements
 * through the CSSOM (`el.style.x = …`), which the page's CSP (`style-src 'self'`, no
 * inline styles) allows: only style attributes in markup and <style> elements are
 * refused, and its stylesheet is bundled by Vite as a file. The canvas says nothing to a
 * screen reader: the figure is labelled with the totals and the same numbers follow as a
 * table (dashboard.tsx).
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: number[];
  color: string;
  /** Bars for the main count, a line over them for the other, so equal values never hide each other. */
  kind: 'bars' | 'line';
}

const hourLabel = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayLabel = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'numeric', day: 'numeric' });
/** 24-hour JST ticks, the date under midnight: how a Japanese operations team reads a day. */
const tick = (ts: number) => {
  const d = new Date(ts * 1000);
  const h = hourLabel.format(d);
  return h === '00:00' ? `${h}\n${dayLabel.format(d)}` : h;
};

const bars = uPlot.paths.bars!({ size: [0.6, 24] });

export function HourlyChart({ hours, series, label }: { hours: string[]; series: Series[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: uPlot.AlignedData = [hours.map((h) => Date.parse(h) / 1000), ...series.map((s) => s.values)];
    const plot = new uPlot({
      width: Math.max(600, el.clientWidth), height: 280,
      // Hours on the axis as Japan reads them, whatever the browser's zone.
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(5, Math.ceil(max * 1.1))] } },
      axes: [
        { stroke: '#1b1b1b', incrs: [3600 * 2, 3600 * 3, 3600 * 6], values: (_u, ticks) => ticks.map(tick) },
        { stroke: '#1b1b1b', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
      ],
      series: [{}, ...series.map((s) => s.kind === 'bars'
        ? { label: s.label, stroke: s.color, fill: s.color, width: 0, paths: bars }
        : { label: s.label, stroke: s.color, width: 3, points: { show: true, size: 7, fill: s.color } })],
    }, data, el);
    return () => plot.destroy();
  }, [hours, series]);
  return <figure class="chart" aria-label={label}><div ref={box} role="img" aria-label={label} data-testid="chart" /></figure>;
}
