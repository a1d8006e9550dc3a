/**
 * What report.html draws for one method, as plain JSON-ready data: per head, the loss on V and on T',
 * the overfitting O = LV − LT, the blend weights, and for G-Blend Figure 5b (snapshot-chart.ts), each
 * as mean ± std over all the method's seeds at every epoch. The page's script (chart-page-script.ts)
 * turns these into interactive charts. Pure.
 */
import type { EpochEvent } from '../train/events.js';
import { band, headColor, headsOf, type BandChart, type BandSeries, type SeedRun } from './band-series.js';
import { snapshotChart, type SnapshotSummary } from './snapshot-chart.js';

export interface MethodCharts {
  heads: string[];
  charts: BandChart[];
  /** Seeds that reached each epoch of `epochs`: fewer at the end when runs stopped early. */
  epochs: number[];
  seedsPerEpoch: number[];
  /** Figure 5b's comparison over every seed and estimate, where the run logs have one. */
  snapshot: SnapshotSummary | null;
}

export function methodCharts(runs: readonly SeedRun[]): MethodCharts {
  const heads = headsOf(runs);
  const perSeed = runs.map((r) => r.events.filter((e): e is EpochEvent => e.event === 'epoch'));
  const epochs = [...new Set(perSeed.flat().map((e) => e.epoch))].sort((a, b) => a - b);
  const seedsPerEpoch = epochs.map((epoch) => perSeed.filter((list) => list.some((e) => e.epoch === epoch)).length);
  const chart = (title: string, yLabel: string, series: BandSeries[], range: Partial<Pick<BandChart, 'yMin' | 'yMax' | 'stacked'>> = {}): BandChart =>
    ({ title, yLabel, yMin: range.yMin ?? null, yMax: range.yMax ?? null, stacked: range.stacked ?? false, epochs, series });
  const headSeries = (h: string, label: string, dashed: boolean, value: (e: EpochEvent) => number | null | undefined): BandSeries =>
    ({ label, color: headColor(heads, h), dashed, ...band(perSeed, epochs, value) });

  const charts = [
    chart("loss on V (solid) and T' (dashed)", 'cross-entropy', heads.flatMap((h) => [
      headSeries(h, `${h} V`, false, (e) => e.heads[h]?.val_loss),
      headSeries(h, `${h} T'`, true, (e) => e.heads[h]?.train_loss),
    ]), { yMin: 0 }),
    // O per seed first, then its spread: the std of a difference is not the difference of stds.
    chart('overfitting O = LV − LT', 'LV − LT', heads.map((h) => headSeries(h, h, false, (e) => {
      const s = e.heads[h];
      return s == null || s.val_loss == null || s.train_loss == null ? null : s.val_loss - s.train_loss;
    }))),
  ];
  if (heads.length > 1) {
    charts.push(chart('blend weights used in each epoch (mean over seeds, stacked)', 'weight',
      heads.map((h) => headSeries(h, h, false, (e) => e.weights[h] ?? 0)), { yMin: 0, yMax: 1, stacked: true }));
  }
  const snapshot = snapshotChart(runs, perSeed);
  if (snapshot !== null) charts.push(snapshot.chart);
  return { heads, charts, epochs, seedsPerEpoch, snapshot: snapshot?.summary ?? null };
}

/**
 * Says which epochs average fewer seeds, e.g. "epochs 1–6: 3 seeds; 7–8: 2; 9–10: 1"; null when every
 * epoch has every seed.
 */
export function seedCountNote(epochs: readonly number[], seedsPerEpoch: readonly number[]): string | null {
  if (new Set(seedsPerEpoch).size <= 1) return null;
  const runs: { from: number; to: number; n: number }[] = [];
  epochs.forEach((epoch, i) => {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.n === seedsPerEpoch[i]) last.to = epoch;
    else runs.push({ from: epoch, to: epoch, n: seedsPerEpoch[i]! });
  });
  return runs.map((r, i) => `${i === 0 ? 'epoch' + (r.from === r.to ? ' ' : 's ') : ''}${r.from === r.to ? r.from : `${r.from}–${r.to}`}: ${r.n}${i === 0 ? ` seed${r.n === 1 ? '' : 's'}` : ''}`).join('; ');
}
