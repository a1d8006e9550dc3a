/**
 * A training step the way gblend trains (src/train/loop.ts): tfjs-layers layers applied in a
 * loss function, tf.variableGrads, then gblend's optimizer wrapper (Adam, no weight decay).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { makeOptimizer } from '../../src/train/optimizer.js';
import { timeRate, type Measurement, type TimingOptions } from '../timing.js';

/** Applies layers in order. */
export function stack(layers: tfl.layers.Layer[], x: tf.Tensor): tf.Tensor {
  return layers.reduce((h, l) => l.apply(h) as tf.Tensor, x);
}

/** Random one-hot labels for `batch` examples of `classes` classes (fixed seed). */
export function randomOneHot(batch: number, classes: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.cast(tf.floor(tf.randomUniform([batch], 0, classes, 'float32', seed)), 'int32'), classes) as tf.Tensor2D);
}

/**
 * Times steps/s of `loss` (a scalar built from the layers' variables). `variables` are created
 * by one untimed forward pass first. The loss of the last step of each batch is read back.
 */
export async function timeSteps(loss: () => tf.Scalar, variables: () => tf.Variable[], inputs: tf.Tensor[], opts: TimingOptions): Promise<Measurement> {
  tf.tidy(() => {
    loss();
  });
  const vars = variables();
  const optimizer = makeOptimizer({ kind: 'adam', lr: 1e-3, momentum: 0, weightDecay: 0 });
  try {
    return await timeRate(
      (n) => {
        let last = 0;
        for (let i = 0; i < n; i++) {
          last = tf.tidy(() => {
            const { value, grads } = tf.variableGrads(loss, vars);
            optimizer.apply(grads, vars);
            return i === n - 1 ? value.dataSync()[0]! : 0;
          });
        }
        if (!Number.isFinite(last)) throw new Error(`loss is ${last}`);
      },
      opts,
      'steps/s',
    );
  } finally {
    optimizer.dispose();
    tf.dispose(vars);
    tf.dispose(inputs);
  }
}
