/**
 * What every chart of report.html is made of, as plain JSON-ready data: per-epoch mean ± std over a
 * method's seeds, with the number of seeds at each epoch. Pure.
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
  /** Twice the width: a chart of every method, whose legend is long. */
  wide?: boolean;
  epochs: number[];
  series: BandSeries[];
}

export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

/** The same colours as the SVG charts: one per modality head, black for the fused head. */
export function headColor(heads: readonly string[], h: string): string {
  return h === 'fused' ? '#000000' : COLORS[heads.indexOf(h) % COLORS.length]!;
}

export function headsOf(runs: readonly SeedRun[]): string[] {
  for (const { events } of runs) {
    const start = events.find((e) => e.event === 'start');
    if (start?.event === 'start') return start.heads;
  }
  const first = runs.flatMap((r) => r.events).find((e): e is EpochEvent => e.event === 'epoch');
  return Object.keys(first?.heads ?? {});
}

/** Aggregates one per-epoch quantity over the runs, aligned on `epochs`. */
export function band(runs: readonly EpochEvent[][], epochs: readonly number[], value: (e: EpochEvent) => number | null | undefined): Omit<BandSeries, 'label' | 'color' | 'dashed'> {
  return bandOf(runs.map((epochEvents) => new Map(epochEvents.map((e) => [e.epoch, value(e) ?? null]))), epochs);
}

/** Mean ± std over the seeds' curves, aligned on `epochs`. */
export function bandOf(curves: readonly SeedCurve[], epochs: readonly number[]): Omit<BandSeries, 'label' | 'color' | 'dashed'> {
  const byEpoch = new Map(bandsOverSeeds(curves).map((b) => [b.epoch, b]));
  const at = epochs.map((epoch) => byEpoch.get(epoch));
  return { mean: at.map((b) => b?.mean ?? null), std: at.map((b) => b?.std ?? null), n: at.map((b) => b?.n ?? 0) };
}

