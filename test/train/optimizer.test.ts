/**
 * tfjs optimizers index their state by position in the gradient list. A head of weight 0 under the
 * 'shared' blend has no gradient, so the list changes between estimates: slots must not shift.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { initEngine } from '../../src/engine/index.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';
import { trainEpochs, type StepWeights } from '../../src/train/loop.js';
import { makeOptimizer } from '../../src/train/optimizer.js';
import { computeSplits, disposePrepared, prepareData } from '../../src/train/prepared-data.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

before(async () => {
  await initEngine({ backend: 'wasm' });
});

for (const kind of ['adam', 'sgd'] as const) {
  test(`${kind}: weights that switch a head off and on keep optimizer state with its variable`, async () => {
    const config = parseTrainConfig({ optimizer: { kind }, model: { mlpHidden: [7], convChannels: [2], convFeatures: 5, fusedHidden: 6 } });
    const ds = tinyDataset([{ name: 'a', shape: [6], separation: 1 }, { name: 'c', shape: [6, 6, 2], separation: 1 }]);
    const data = prepareData(ds, computeSplits(ds, 0.2, 0.2, 0));
    const model = new MultiHeadModel({
      encoders: [{ modality: 'a', inputShape: [6], kind: 'mlp' }, { modality: 'c', inputShape: [6, 6, 2], kind: 'conv' }],
      heads: ['a', 'c', 'fused'], numClasses: 3, config: config.model,
    }, 1);
    const optimizer = makeOptimizer(config.optimizer);
    const schedule: StepWeights[] = [
      { weights: { a: 0.5, c: 0.3, fused: 0.2 }, mode: 'shared' },
      { weights: { a: 0, c: 0.5, fused: 0.5 }, mode: 'shared' },
      { weights: { a: 0.2, c: 0, fused: 0.8 }, mode: 'shared' },
      { weights: { a: 0.4, c: 0.3, fused: 0.3 }, mode: 'shared' },
    ];
    let epoch = 0;
    try {
      await trainEpochs({ model, data, rows: data.splits.train, epochs: schedule.length, weights: () => schedule[epoch++]!, optimizer, batchSize: 16, rng: createRng(0) });
      for (const v of model.variables()) assert.ok(tf.all(tf.isFinite(v)).dataSync()[0] === 1, v.name);
    } finally {
      optimizer.dispose();
      model.dispose();
      disposePrepared(data);
    }
  });
}
