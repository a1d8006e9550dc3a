/**
 * The small-model regime of issue 13, shared by small_mlp_step, small_run and the step breakdown
 * (bench/small-breakdown.ts): two vector views shaped like mfeat's fou (76 features) and kar (64),
 * MLP encoders 128-64, 10 classes, batch 32. The data is synthetic and seeded, so the bench needs no
 * download and every machine runs the same numbers of steps; bench/torch_reference.py builds data of
 * the same shapes and split sizes (SMALL there mirrors SMALL here).
 */
import { parseTrainConfig } from '../../src/config/load.js';
import type { TrainConfigInput } from '../../src/config/schema.js';
import { createRng } from '../../src/core/rng.js';
import type { Dataset } from '../../src/data/index.js';

export const SMALL = {
  /** Views and their feature counts (mfeat's fou and kar). */
  views: { fou: 76, kar: 64 },
  classes: 10,
  /** Rows per class: 2,000 rows in all, as mfeat; a fifth is the test split. */
  perClass: 200,
  mlpHidden: [128, 64],
  batchSize: 32,
  /** small_run: training examples (V included) and epochs, as in the measurement. */
  trainExamples: 200,
  epochs: 100,
  /** What gblend's splits make of 200 examples (V is 10%, T' the size of V): checked by small_run. */
  sizes: { train: 180, val: 20, probe: 20 },
} as const;

/** Options every small workload trains with: gblend's defaults (SGD, momentum 0.9, lr 0.01, weight decay 1e-4) but the sizes above. */
export const SMALL_CONFIG: TrainConfigInput = {
  batchSize: SMALL.batchSize,
  model: { mlpHidden: [...SMALL.mlpHidden] },
  trainExamples: SMALL.trainExamples,
  epochs: SMALL.epochs,
  seed: 0,
};

export const smallConfig = (extra: TrainConfigInput = {}): ReturnType<typeof parseTrainConfig> => parseTrainConfig({ ...SMALL_CONFIG, ...extra });

/**
 * A two-view dataset in memory: each class has a random mean per feature, each example is its class
 * mean plus unit noise, so that the heads learn something (the speed does not depend on it).
 */
export function twoViewDataset(seed = 0): Dataset {
  const rng = createRng(seed).fork('small-two-view');
  const n = SMALL.classes * SMALL.perClass;
  const labels = Int32Array.from({ length: n }, (_, i) => i % SMALL.classes);
  const modalities = Object.entries(SMALL.views).map(([name, width]) => {
    const means = Float32Array.from({ length: SMALL.classes * width }, () => rng.normal());
    const data = new Float32Array(n * width);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < width; j++) data[r * width + j] = means[labels[r]! * width + j]! + 2 * rng.normal();
    }
    return { name, shape: [width], data, encoder: null, sourceDtype: 'float32' };
  });
  return {
    name: 'small-two-view', dir: null, classes: Array.from({ length: SMALL.classes }, (_, i) => String(i)), modalities, labels,
    split: null, description: 'synthetic two-view data for the small-model benchmarks', license: null, source: null,
  };
}
