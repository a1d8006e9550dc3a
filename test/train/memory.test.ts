/** No tensor leaks across repeated training steps, estimates and whole runs. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import { initEngine } from '../../src/engine/index.js';
import { createMethod } from '../../src/methods/registry.js';
import { trainOnDataset } from '../../src/train/run.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

before(async () => {
  await initEngine({ backend: 'wasm' });
});

const dataset = tinyDataset([
  { name: 'a', shape: [6], separation: 1.5 },
  { name: 'b', shape: [5, 5], separation: 0.5 },
]);

const config = (method: string) =>
  parseTrainConfig({
    method, epochs: 3, batchSize: 16, valFraction: 0.2,
    model: { mlpHidden: [8], convChannels: [2], convFeatures: 4, fusedHidden: 6, dropout: 0.2 },
    blend: { warmupEpochs: 1, superEpochEpochs: 1 },
  });

for (const method of ['gblend-online', 'gblend-offline', 'naive', 'uni:b']) {
  test(`${method}: no tensors leak across repeated runs`, async () => {
    const runOnce = async (): Promise<void> => {
      const run = await trainOnDataset(config(method), dataset, createMethod(config(method).method));
      run.model.dispose();
    };
    await runOnce(); // first run creates lazily cached constants
    const before = tf.memory().numTensors;
    await runOnce();
    await runOnce();
    assert.equal(tf.memory().numTensors, before, 'tensor count after two more runs');
  });
}
