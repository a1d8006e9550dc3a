/**
 * Per-epoch mean ± std across seeds, for the report's bands. Pure.
 *
 * Runs need not share their epochs: a method that stops early (early-stop) leaves some seeds shorter
 * than others. Each epoch is aggregated over the seeds that reached it, and the count is kept, so the
 * page can say that a point averages fewer runs than its neighbours.
 */
import { meanStd } from '../core/stats.js';

/**
 * One seed's value per epoch; epochs the run never reached are absent. A value may be null or
 * non-finite (the run log writes null for a NaN loss): it counts as missing for that epoch.
 */
export type SeedCurve = ReadonlyMap<number, number | null>;

export interface EpochBand {
  epoch: number;
  /** Null where no seed has a finite value at this epoch. */
  mean: number | null;
  /** Sample standard deviation (n − 1); 0 for a single seed; null with `mean`. */
  std: number | null;
  /** The seeds averaged at this epoch. */
  n: number;
}

/** Every epoch any curve has, ascending. */
export function epochsOf(curves: readonly SeedCurve[]): number[] {
  return [...new Set(curves.flatMap((c) => [...c.keys()]))].sort((a, b) => a - b);
}

/** Mean and sample std per epoch over the curves that have a finite value there; one entry per epoch of `epochsOf`. */
export function bandsOverSeeds(curves: readonly SeedCurve[]): EpochBand[] {
  return epochsOf(curves).map((epoch) => {
    const values = curves.map((c) => c.get(epoch)).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length === 0) return { epoch, mean: null, std: null, n: 0 };
    return { epoch, ...meanStd(values), n: values.length };
  });
}
