/** A small two-modality model (a: 3 features, b: 2) with every head, and one batch of 8, for tests of a method's step hooks. */
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';

export const STEP_LABELS = [0, 1, 2, 0, 1, 2, 0, 1];

/** Every head's weight 1, all losses in the gradient. */
export const EVERY_HEAD = { weights: { a: 1, b: 1, fused: 1 }, mode: 'all' as const };

export function twoModalityStep(): { model: MultiHeadModel; inputs: Record<string, tf.Tensor>; oneHot: tf.Tensor } {
  const cfg = parseTrainConfig({ model: { mlpHidden: [4], fusedHidden: 5 } }).model;
  const model = new MultiHeadModel({
    encoders: [{ modality: 'a', inputShape: [3], kind: 'mlp' }, { modality: 'b', inputShape: [2], kind: 'mlp' }],
    heads: ['a', 'b', 'fused'], numClasses: 3, config: cfg,
  }, 5);
  const inputs = { a: tf.randomNormal([8, 3], 0, 1, 'float32', 7), b: tf.randomNormal([8, 2], 0, 1, 'float32', 8) };
  const oneHot = tf.cast(tf.oneHot(tf.tensor1d(STEP_LABELS, 'int32'), 3), 'float32');
  return { model, inputs, oneHot };
}
