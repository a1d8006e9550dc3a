import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { compareBackends, input } from '../backends.js';

// Tolerance: 1e-4 relative to the largest reference value.
const TOL = 1e-4;
const flags: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

for (const [ta, tb] of flags) {
  for (const activation of ['linear', 'relu'] as const) {
    test(`fused matMul + bias + ${activation}, transposeA=${ta} transposeB=${tb}: values match cpu`, async () => {
      const [m, k, n] = [33, 17, 29];
      const a = input(ta ? [k, m] : [m, k], 5);
      const b = input(tb ? [n, k] : [k, n], 6);
      const bias = input([n], 7);
      await compareBackends('value', [a, b, bias], (x, y, c) => tf.fused.matMul({ a: x!, b: y!, transposeA: ta, transposeB: tb, bias: c!, activation }), TOL);
    });
  }
}

test('fused matMul (linear, batch of one row): gradients match cpu', async () => {
  const a = input([1, 20], 8);
  const b = input([20, 9], 9);
  const bias = input([9], 10);
  const w = input([1, 9], 11);
  await compareBackends('gradients', [a, b, bias, w], (x, y, c, d) =>
    tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => tf.sum(tf.mul(tf.fused.matMul({ a: p as tf.Tensor2D, b: q as tf.Tensor2D, bias: r, activation: 'linear' }), d!)))([x!, y!, c!]), TOL);
});
