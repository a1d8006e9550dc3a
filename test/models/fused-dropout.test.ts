/** Dropout on the fused head's input (the paper's dropout baseline): only there, only in training. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import { initEngine } from '../../src/engine/index.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';

before(async () => {
  await initEngine({ backend: 'cpu' });
});

function model(fusedDropout: number): MultiHeadModel {
  const config = parseTrainConfig({ model: { mlpHidden: [6], fusedHidden: 5, fusedDropout } }).model;
  return new MultiHeadModel({
    encoders: [{ modality: 'a', inputShape: [4], kind: 'mlp' }, { modality: 'b', inputShape: [3], kind: 'mlp' }],
    heads: ['a', 'b', 'fused'], numClasses: 3, config,
  }, 2);
}

test('fusedDropout changes the fused logits in training only, and no uni-modal head', () => {
  const inputs = { a: tf.randomNormal([16, 4], 0, 1, 'float32', 1), b: tf.randomNormal([16, 3], 0, 1, 'float32', 2) };
  const plain = model(0);
  const dropped = model(0.5);
  let seed = 0;
  const nextSeed = (): number => ++seed;
  const ref = plain.forward(inputs, { training: true, nextSeed });
  const train = dropped.forward(inputs, { training: true, nextSeed });
  const infer = dropped.forward(inputs, { training: false });
  const same = (x: tf.Tensor, y: tf.Tensor): boolean => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]! < 1e-6;
  // Same seed and layer names: both models start from the same weights.
  for (const h of ['a', 'b']) assert.ok(same(ref.get(h)!, train.get(h)!), `head ${h} is untouched`);
  assert.ok(!same(ref.get('fused')!, train.get('fused')!), 'the fused head sees dropped features in training');
  assert.ok(same(ref.get('fused')!, infer.get('fused')!), 'and the plain features in inference');
  plain.dispose();
  dropped.dispose();
});
