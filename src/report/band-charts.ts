/**
 * What report.html draws for one method, as plain JSON-ready data: per head, the loss on V and on T',
 * the overfitting O = LV − LT, and the blend weights, each as mean ± std over all the method's seeds
 * at every epoch. The page's script (chart-page-script.ts) turns these into interactive charts. Pure.
 */
import type { EpochEvent, RunEvent } from '../train/events.js';
import { bandsOverSeeds, type SeedCurve } from './seed-bands.js';

/** One run of a method: its seed and the events of its run log. */
export interface SeedRun {
  seed: number;
  events: RunEvent[];
}

/** One curve: per epoch of its chart, the mean over seeds, the std and the number of seeds. */
export interface BandSeries {
  label: string;
  color: string;
  dashed: boolean;
  mean: (number | null)[];
  std: (number | null)[];
  n: number[];
}

export interface BandChart {
  title: string;
  yLabel: string;
  /** Fixed ends of the y axis; null: fitted to the data. */
  yMin: number | null;
  yMax: number | null;
  /** Areas stacked on each other (the blend weights, which sum to 1) rather than lines with bands. */
  stacked: boolean;
  epochs: number[];
  series: BandSeries[];
}

export interface MethodCharts {
  heads: string[];
  charts: BandChart[];
  /** Seeds that reached each epoch of `epochs`: fewer at the end when runs stopped early. */
  epochs: number[];
  seedsPerEpoch: number[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

/** The same colours as the SVG charts: one per modality head, black for the fused head. */
export function headColor(heads: readonly string[], h: string): string {
  return h === 'fused' ? '#000000' : COLORS[heads.indexOf(h) % COLORS.length]!;
}

function headsOf(runs: readonly SeedRun[]): string[] {
  for (const { events } of runs) {
    const start = events.find((e) => e.event === 'start');
    if (start?.event === 'start') return start.heads;
  }
  const first = runs.flatMap((r) => r.events).find((e): e is EpochEvent => e.event === 'epoch');
  return Object.keys(first?.heads ?? {});
}

/** Aggregates one per-epoch quantity over the runs, aligned on `epochs`. */
function band(runs: readonly EpochEvent[][], epochs: readonly number[], value: (e: EpochEvent) => number | null | undefined): Omit<BandSeries, 'label' | 'color' | 'dashed'> {
  const curves: SeedCurve[] = runs.map((epochEvents) => new Map(epochEvents.map((e) => [e.epoch, value(e) ?? null])));
  const byEpoch = new Map(bandsOverSeeds(curves).map((b) => [b.epoch, b]));
  const at = epochs.map((epoch) => byEpoch.get(epoch));
  return { mean: at.map((b) => b?.mean ?? null), std: at.map((b) => b?.std ?? null), n: at.map((b) => b?.n ?? 0) };
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
  return { heads, charts, epochs, seedsPerEpoch };
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
