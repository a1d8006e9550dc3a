/**
 * small_mlp_step: one training step of gblend's own loop (src/train/loop.ts trainEpochs) on the
 * small regime: views of 76 and 64 features, MLP encoders 128-64, gblend's multi-head model with
 * three heads (one per view, Dense 10; fused: Dense 128 ReLU, Dense 10 on the concatenation),
 * batch 32, loss = the sum of the three heads' mean cross-entropies ('all' mode, weights 1),
 * gblend's SGD with momentum. Each step gathers its batch from the resident data, reads its loss
 * back, and applies the update: everything trainEpochs does per step.
 */
import { createRng } from '../../src/core/rng.js';
import type { MultiHeadModel } from '../../src/models/multihead-model.js';
import { trainEpochs } from '../../src/train/loop.js';
import { makeOptimizer, type Optimizer } from '../../src/train/optimizer.js';
import { computeSplits, disposePrepared, prepareData, type PreparedData } from '../../src/train/prepared-data.js';
import { modelFor } from '../../src/train/run.js';
import { timeRate } from '../timing.js';
import { SMALL, smallConfig, twoViewDataset } from './small-setup.js';
import type { Workload } from './types.js';

export interface SmallStep {
  model: MultiHeadModel;
  data: PreparedData;
  optimizer: Optimizer;
  /** Runs `n` training steps through trainEpochs (one call, so one end-of-epoch yield per call). */
  steps(n: number): Promise<void>;
  dispose(): void;
}

/** Every head of the small model: one per view, and the fused head. */
export const SMALL_HEADS: readonly string[] = [...Object.keys(SMALL.views), 'fused'];

/**
 * The model, data and optimizer of small_mlp_step, and a function that trains n steps. `heads`: fewer
 * heads give the models of small_run's other parts (naive's fused head alone; an estimate's copies).
 */
export function smallStep(heads: readonly string[] = SMALL_HEADS): SmallStep {
  const dataset = twoViewDataset();
  const config = smallConfig({ trainExamples: null });
  const splits = computeSplits(dataset, config.valFraction, config.testFraction, config.seed);
  const data = prepareData(dataset, splits);
  const model = modelFor(dataset, [...heads], config, createRng(0));
  const optimizer = makeOptimizer(config.optimizer);
  const rng = createRng(0).fork('train');
  const weights = Object.fromEntries(heads.map((h) => [h, 1]));
  const train = splits.train;
  return {
    model, data, optimizer,
    async steps(n) {
      // n full batches of training rows, cycling through them: trainEpochs runs exactly n steps.
      const rows = Array.from({ length: n * SMALL.batchSize }, (_, i) => train[i % train.length]!);
      await trainEpochs({ model, data, rows, epochs: 1, weights: () => ({ weights, mode: 'all' }), optimizer, batchSize: SMALL.batchSize, rng });
    },
    dispose() {
      optimizer.dispose();
      model.dispose();
      disposePrepared(data);
    },
  };
}

/** Untimed steps before the timing's own warm-up (torch_reference.py does as many). */
export const SMALL_WARMUP_STEPS = 1500;

export const smallMlpStep: Workload = {
  name: 'small_mlp_step',
  describe: "gblend's training loop, 2 views (76, 64 features), encoders 128-64, 3 heads, batch 32, SGD momentum; steps/s",
  async measure(opts) {
    const s = smallStep();
    try {
      // A few warm-up steps are not enough here: V8 keeps compiling the loop's and tfjs' JavaScript
      // for about 1,500 steps (a step calls many functions once each), and the step gets 2x faster.
      if (opts.warmup > 0) await s.steps(SMALL_WARMUP_STEPS);
      return await timeRate((n) => s.steps(n), opts, 'steps/s');
    } finally {
      s.dispose();
    }
  },
};
