/**
 * The script report.html runs: draws every `<div data-chart="id">` from the charts' JSON with uPlot
 * (inlined in the page, see uplot-assets.ts). Written in TypeScript for the type checks, and put
 * into the page as the source text of `drawBandCharts`, so it must use nothing outside itself.
 *
 * Each curve is its mean line plus two helper series, mean + std and mean − std, filled between by a
 * uPlot band; the helpers carry the class `band-edge`, which the page's CSS hides from the legend and
 * the cursor, and they are hidden and shown with their curve. Stacked charts (the blend weights) draw
 * cumulative sums filled between neighbours instead. The legend shows, at the hovered epoch, each
 * curve's mean ± std and n, the seeds that reached that epoch.
 */
import type uPlot from 'uplot';
import type { BandChart } from './band-series.js';

/** Set on each chart's element: lets a test (or a person in the console) read what is drawn. */
export interface ChartElement extends HTMLElement {
  uplot?: uPlot;
}

export function drawBandCharts(UPlot: typeof uPlot, charts: Record<string, BandChart>): void {
  const fmt = (v: number | null | undefined): string => (v == null ? '–' : v.toFixed(4));
  for (const el of Array.from(document.querySelectorAll<ChartElement>('[data-chart]'))) {
    const spec = charts[el.dataset.chart ?? ''];
    if (spec === undefined) continue;
    const data: (number | null)[][] = [spec.epochs];
    const series: uPlot.Series[] = [{ label: 'epoch' }];
    const bands: uPlot.Band[] = [];
    // A curve's series index -> its two band edges, which follow it when its legend entry is clicked.
    const edgesOf = new Map<number, number[]>();
    const stackTop = spec.epochs.map(() => 0);
    for (const s of spec.series) {
      const legendValue = (_u: uPlot, _raw: number, _si: number, i: number | null): string =>
        i === null || s.mean[i] == null ? '–' : `${fmt(s.mean[i])} ± ${fmt(s.std[i])} (n=${s.n[i]})`;
      const curve = series.length;
      if (spec.stacked) {
        data.push(s.mean.map((m, i) => (m == null ? null : (stackTop[i]! += m))));
        series.push({ label: s.label, stroke: s.color, fill: `${s.color}80`, width: 1, value: legendValue });
        // Each layer fills down to the one below it, not to the axis.
        if (curve > 1) bands.push({ series: [curve, curve - 1], fill: `${s.color}80` });
        continue;
      }
      const edge = (sign: number): (number | null)[] => s.mean.map((m, i) => (m == null ? null : m + sign * (s.std[i] ?? 0)));
      data.push(s.mean, edge(1), edge(-1));
      series.push(
        { label: s.label, stroke: s.color, width: 2, ...(s.dashed ? { dash: [6, 4] } : {}), value: legendValue },
        { label: `${s.label} + std`, class: 'band-edge', stroke: s.color, width: 0, points: { show: false } },
        { label: `${s.label} − std`, class: 'band-edge', stroke: s.color, width: 0, points: { show: false } },
      );
      bands.push({ series: [curve + 1, curve + 2], fill: `${s.color}24` });
      edgesOf.set(curve, [curve + 1, curve + 2]);
    }
    const yRange = (_u: uPlot, lo: number, hi: number): uPlot.Range.MinMax => {
      const [min, max] = UPlot.rangeNum(lo, hi, 0.1, true);
      return [spec.yMin ?? min, spec.yMax ?? max];
    };
    el.uplot = new UPlot({
      title: spec.title,
      width: spec.wide === true ? 980 : 480,
      height: 280,
      scales: { x: { time: false }, y: { range: yRange } },
      axes: [{ label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] }, { label: spec.yLabel }],
      series,
      bands,
      hooks: {
        setSeries: [(u, si, opts) => {
          if (si === null || opts.show === undefined) return;
          for (const e of edgesOf.get(si) ?? []) u.setSeries(e, { show: opts.show });
        }],
      },
    }, data as uPlot.AlignedData, el);
  }
}

/** The page's script: reads the charts' JSON from the element `dataId` and draws them. */
export function chartPageScript(dataId: string): string {
  return `(${drawBandCharts.toString()})(uPlot, JSON.parse(document.getElementById(${JSON.stringify(dataId)}).textContent));`;
}

/** CSS for the charts, after uPlot's own. */
export const CHART_STYLE = `.charts .chart { display: inline-block; vertical-align: top; margin: 0 12px 12px 0; border: 1px solid #eee; }
.u-legend .band-edge, .u-cursor-pt.band-edge { display: none; }
.u-legend { font-size: 12px; }
.u-legend th, .u-legend td { border: none; background: none; padding: 1px 3px; }
`;
