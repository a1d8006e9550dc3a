/**
 * small_run: one naive and one gblend-online run on the small regime (small-setup.ts: 200 training
 * examples of two views, V and T' of 20, encoders 128-64, batch 32, 100 epochs, gblend's defaults
 * otherwise: online estimates before epoch 0 and every 5 epochs from 10). Each is timed from its
 * events (timed-run.ts): training, the per-epoch evaluation of T' and V, and the estimates. The
 * value is the two runs' seconds together; `parts` gives each run's median.
 */
import { median } from '../timing.js';
import { SMALL, smallConfig, twoViewDataset } from './small-setup.js';
import { timedRun } from './timed-run.js';
import type { Workload } from './types.js';

export const SMALL_RUN_METHODS = ['naive', 'gblend-online'] as const;

export const smallRun: Workload = {
  name: 'small_run',
  describe: 'a naive and a gblend-online run, 200 examples of 2 views (76, 64), encoders 128-64, batch 32, 100 epochs, per-epoch T\'/V evaluation; s for both',
  wholeRuns: true,
  async measure(opts) {
    const dataset = twoViewDataset();
    if (opts.warmup > 0) await timedRun(smallConfig({ method: 'naive', epochs: 1 }), dataset);
    const perMethod: Record<string, number[]> = Object.fromEntries(SMALL_RUN_METHODS.map((m) => [m, []]));
    const samples: number[] = [];
    for (let r = 0; r < Math.max(1, opts.repeats); r++) {
      let total = 0;
      for (const method of SMALL_RUN_METHODS) {
        const { seconds, sizes } = await timedRun(smallConfig({ method }), dataset);
        // The PyTorch reference hard-codes these sizes: a change here must be made there too.
        for (const k of ['train', 'val', 'probe'] as const) {
          if (sizes[k] !== SMALL.sizes[k]) throw new Error(`small_run: ${k} has ${sizes[k]} rows, the PyTorch reference assumes ${SMALL.sizes[k]}`);
        }
        perMethod[method]!.push(seconds);
        total += seconds;
      }
      samples.push(total);
    }
    const parts = Object.fromEntries(Object.entries(perMethod).map(([m, xs]) => [m, median(xs)]));
    return { value: median(samples), unit: 's', samples, iters: SMALL.epochs, parts };
  },
};
