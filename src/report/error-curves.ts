/** The paper's Figure 4 from the run logs of every method of a comparison. Pure. */
import { FUSED } from '../models/heads.js';
import type { EpochEvent } from '../train/events.js';
import { band, COLORS, headsOf, type BandChart, type SeedRun } from './band-series.js';

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

