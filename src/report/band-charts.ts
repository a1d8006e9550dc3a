/**
 * What report.html draws for one method, as plain JSON-ready data: per head, the loss on V and on T',
 * the overfitting O = LV − LT, and the blend weights, each as mean ± std over all the method's seeds
 * at every epoch. The page's script (chart-page-script.ts) turns these into interactive charts. Pure.
 */
import type { BlendEstimateEvent, EpochEvent, RunEvent } from '../train/events.js';
import { meanStd } from '../core/stats.js';
import { FUSED } from '../models/heads.js';
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
  /** Twice the width: a chart of every method, whose legend is long. */
  wide?: boolean;
  epochs: number[];
  series: BandSeries[];
}

export interface MethodCharts {
  heads: string[];
  charts: BandChart[];
  /** Seeds that reached each epoch of `epochs`: fewer at the end when runs stopped early. */
  epochs: number[];
  seedsPerEpoch: number[];
  /** Figure 5b's comparison over every seed and estimate, where the run logs have one. */
  snapshot: SnapshotSummary | null;
}

/**
 * G-Blend against naive fusion trained from the same snapshot (the paper's Figure 5b): at the end of
 * each estimate's n epochs, the fused head's V accuracy in the run (trained on the blended loss) minus
 * that of the estimate's fused copy (trained on the fused loss alone, naive fusion), over every seed.
 */
export interface SnapshotSummary {
  comparisons: number;
  gblendAhead: number;
  ties: number;
  /** Mean of run − copy, in accuracy points (0-100). */
  meanDifference: number;
  /** Comparisons where the run's fused V loss was below the copy's (finer than accuracy on a small V). */
  lossLower: number;
  /** Mean of run − copy in fused V loss. */
  meanLossDifference: number;
}

/** Per seed, the fused copy's V accuracy or loss at the epoch its estimate ended (epoch N + n). */
function naiveFromSnapshot(runs: readonly SeedRun[], key: 'val_acc' | 'val_loss'): Map<number, number | null>[] {
  return runs.map(({ events }) => new Map(events
    .filter((e): e is BlendEstimateEvent => e.event === 'blend_estimate' && e.copies?.[FUSED] !== undefined)
    .map((e) => [e.epoch + e.epochs, e.copies![FUSED]![key]])));
}

/** Run − copy at every (seed, estimate end) where both have a value. */
function pairedDifferences(copies: Map<number, number | null>[], runs: Map<number, number | null>[]): number[] {
  return copies.flatMap((copy, i) => [...copy].flatMap(([epoch, c]) => {
    const r = runs[i]!.get(epoch);
    return typeof r === 'number' && typeof c === 'number' ? [r - c] : [];
  }));
}

const mean = (values: number[]): number => meanStd(values).mean;

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
  return bandOf(runs.map((epochEvents) => new Map(epochEvents.map((e) => [e.epoch, value(e) ?? null]))), epochs);
}

/** Mean ± std over the seeds' curves, aligned on `epochs`. */
function bandOf(curves: readonly SeedCurve[], epochs: readonly number[]): Omit<BandSeries, 'label' | 'color' | 'dashed'> {
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
  const snapshot = snapshotChart(runs, perSeed);
  if (snapshot !== null) charts.push(snapshot.chart);
  return { heads, charts, epochs, seedsPerEpoch, snapshot: snapshot?.summary ?? null };
}

/** Figure 5b: at the end of every estimate, the run's fused head against the naive copy from the same snapshot. */
function snapshotChart(runs: readonly SeedRun[], perSeed: readonly EpochEvent[][]): { chart: BandChart; summary: SnapshotSummary } | null {
  const naive = naiveFromSnapshot(runs, 'val_acc');
  const ends = [...new Set(naive.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  if (ends.length === 0) return null;
  const fusedAt = (key: 'val_acc' | 'val_loss') => perSeed.map((list) => new Map(list.filter((e) => ends.includes(e.epoch)).map((e) => [e.epoch, e.heads[FUSED]?.[key] ?? null])));
  const gblend = fusedAt('val_acc');
  const series = (label: string, color: string, dashed: boolean, curves: SeedCurve[]): BandSeries => ({ label, color, dashed, ...bandOf(curves, ends) });
  const differences = pairedDifferences(naive, gblend).map((d) => 100 * d);
  const lossDifferences = pairedDifferences(naiveFromSnapshot(runs, 'val_loss'), fusedAt('val_loss'));
  if (differences.length === 0) return null;
  return {
    chart: {
      title: "fused head's V accuracy after each estimate, from the same snapshot: this run (solid) against naive fusion, the estimate's fused copy (dashed)",
      yLabel: 'V accuracy', yMin: null, yMax: 1, stacked: false, epochs: ends,
      series: [series('this run', '#000000', false, gblend), series('naive from the snapshot', '#7f7f7f', true, naive)],
    },
    summary: {
      comparisons: differences.length,
      gblendAhead: differences.filter((d) => d > 0).length,
      ties: differences.filter((d) => d === 0).length,
      meanDifference: mean(differences),
      lossLower: lossDifferences.filter((d) => d < 0).length,
      meanLossDifference: lossDifferences.length === 0 ? 0 : mean(lossDifferences),
    },
  };
}

/**
 * The paper's Figure 4: each method's predicting head (fused, or the single head of uni:<m>), its
 * error on T' (dashed) and on V (solid) per epoch, mean over seeds: which model overfits, and when.
 */
export function errorCurvesChart(methods: ReadonlyMap<string, readonly SeedRun[]>): BandChart {
  const perMethod = [...methods].map(([method, runs]) => {
    const heads = headsOf(runs);
    const head = heads.includes(FUSED) ? FUSED : heads[0]!;
    return { method, head, perSeed: runs.map((r) => r.events.filter((e): e is EpochEvent => e.event === 'epoch')) };
  });
  const epochs = [...new Set(perMethod.flatMap((m) => m.perSeed.flat().map((e) => e.epoch)))].sort((a, b) => a - b);
  const series = perMethod.flatMap(({ method, head, perSeed }, i) => {
    const color = COLORS[i % COLORS.length]!;
    const error = (key: 'val_acc' | 'train_acc') => (e: EpochEvent) => {
      const acc = e.heads[head]?.[key];
      return typeof acc === 'number' ? 1 - acc : null;
    };
    return [
      { label: `${method} V`, color, dashed: false, ...band(perSeed, epochs, error('val_acc')) },
      { label: `${method} T'`, color, dashed: true, ...band(perSeed, epochs, error('train_acc')) },
    ];
  });
  return { title: "error of each method's predicting head on V (solid) and T' (dashed), mean ± std over seeds", yLabel: 'error (1 − top-1)', yMin: 0, yMax: null, stacked: false, wide: true, epochs, series };
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
