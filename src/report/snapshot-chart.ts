/**
 * The paper's Figure 5b from the run logs: at the end of every estimate, the run's fused head against
 * the estimate's fused copy, naive fusion trained from the same snapshot for the same epochs. Pure.
 */
import { meanStd } from '../core/stats.js';
import { FUSED } from '../models/heads.js';
import type { BlendEstimateEvent, EpochEvent } from '../train/events.js';
import { bandOf, type BandChart, type BandSeries, type SeedRun } from './band-series.js';
import type { SeedCurve } from './seed-bands.js';

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

/** Figure 5b: at the end of every estimate, the run's fused head against the naive copy from the same snapshot. */
export function snapshotChart(runs: readonly SeedRun[], perSeed: readonly EpochEvent[][]): { chart: BandChart; summary: SnapshotSummary } | null {
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

