/**
 * gblend_online_epoch and naive_epoch: whole training runs through the library
 * (trainOnDataset on the built-in avdigits dataset, default model and optimizer), timed from the
 * run's own events: seconds per epoch = (sum of `epoch` event seconds + sum of `blend_estimate`
 * event seconds) / epochs. That is every training step, the per-epoch evaluation of T' and V the
 * library always does, and for gblend-online the estimates (a copy per head trained as long as the
 * super-epoch it precedes). Not timed: loading the dataset, building the model, the final test.
 */
import { openDataset } from '../../src/api/datasets.js';
import { parseTrainConfig } from '../../src/config/load.js';
import type { TrainConfigInput } from '../../src/config/schema.js';
import type { Dataset } from '../../src/data/index.js';
import { median, type TimingOptions } from '../timing.js';
import { timedRun } from './timed-run.js';
import type { Workload } from './types.js';

/**
 * gblend-online over 4 epochs with a 2-epoch warm-up and 2-epoch super-epochs: two estimates,
 * each as long as its super-epoch, as with the defaults (10 then 5), so the cost per epoch is the
 * same as a default 20-epoch run's, at a fifth of the time.
 */
export const ONLINE_RUN: TrainConfigInput = { method: 'gblend-online', epochs: 4, blend: { warmupEpochs: 2, superEpochEpochs: 2 } };
export const NAIVE_RUN: TrainConfigInput = { method: 'naive', epochs: 2 };

let dataset: Dataset | null = null;

async function secondsPerEpoch(options: TrainConfigInput): Promise<number> {
  dataset ??= await openDataset('avdigits', null);
  const config = parseTrainConfig(options);
  return (await timedRun(config, dataset)).seconds / config.epochs;
}

function epochWorkload(name: string, options: TrainConfigInput, describe: string): Workload {
  return {
    name,
    describe,
    wholeRuns: true,
    async measure(opts: TimingOptions) {
      // Warm-up: one short naive run (kernels, heap) unless no warm-up was asked for.
      if (opts.warmup > 0) await secondsPerEpoch({ ...NAIVE_RUN, epochs: 1 });
      const samples: number[] = [];
      for (let r = 0; r < Math.max(1, opts.repeats); r++) samples.push(await secondsPerEpoch(options));
      return { value: median(samples), unit: 's/epoch', samples, iters: parseTrainConfig(options).epochs };
    },
  };
}

export const gblendOnlineEpoch = epochWorkload(
  'gblend_online_epoch',
  ONLINE_RUN,
  'trainOnDataset, avdigits, gblend-online, 4 epochs (warm-up 2, super-epochs 2), defaults otherwise; s/epoch incl. estimates',
);
export const naiveEpoch = epochWorkload('naive_epoch', NAIVE_RUN, 'trainOnDataset, avdigits, naive (fused head only), 2 epochs, defaults otherwise; s/epoch');
