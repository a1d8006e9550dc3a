import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { maxPoolGradInto } from '../../../src/engine/wasm-kernels/max-pool-grad.js';
import { leadingAxesCount, sumRows } from '../../../src/engine/wasm-kernels/sum.js';
import { compareBackends, input } from '../backends.js';

// Tolerance: 1e-4 relative to the largest reference value.
const TOL = 1e-4;

test('maxPoolGradInto: dy goes to each window arg-max, ties to the first (hand-computed)', () => {
  // 2x4 image, 2x2 windows, stride 2: window 0 = {1, 5, 3, 0}, window 1 = {2, 2, 2, 1}.
  const x = Float32Array.from([1, 5, 2, 2, 3, 0, 2, 1]);
  const dx = new Float32Array(8).fill(NaN);
  const g = { batch: 1, inH: 2, inW: 4, channels: 1, outH: 1, outW: 2, filterH: 2, filterW: 2, strideH: 2, strideW: 2, padTop: 0, padLeft: 0 };
  maxPoolGradInto(x, Float32Array.from([10, 20]), g, dx);
  assert.deepEqual([...dx], [0, 10, 20, 0, 0, 0, 0, 0]);
});

test('sumRows and leadingAxesCount (hand-computed)', () => {
  const out = new Float32Array(2);
  sumRows(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2, out);
  assert.deepEqual([...out], [9, 12]);
  assert.equal(leadingAxesCount([0], 2), 1);
  assert.equal(leadingAxesCount([1, 0, 1], 3), 2);
  assert.equal(leadingAxesCount([1], 2), 0);
  assert.equal(leadingAxesCount([0, 1], 2), 0); // every axis: stock handles it
  assert.equal(leadingAxesCount([0, 2], 3), 0);
});

const pools: [string, [number, number, number, number], number, number, 'same' | 'valid'][] = [
  ['2x2 stride 2 valid', [2, 8, 6, 5], 2, 2, 'valid'],
  ['odd size, 3x3 stride 2 same', [1, 7, 5, 3], 3, 2, 'same'],
  ['overlapping 3x3 stride 1 same', [2, 5, 6, 2], 3, 1, 'same'],
];
for (const [name, shape, size, stride, pad] of pools) {
  test(`maxPool gradient matches cpu: ${name}`, async () => {
    await compareBackends('grad', [input(shape, 31)], (x) =>
      tf.grad((p: tf.Tensor) => tf.sum(tf.square(tf.maxPool(p as tf.Tensor4D, size, stride, pad))))(x!), TOL);
  });
}

test('maxPool gradient after relu (many tied zeros) matches cpu', async () => {
  await compareBackends('grad', [input([2, 6, 6, 4], 32)], (x) =>
    tf.grad((p: tf.Tensor) => tf.sum(tf.maxPool(tf.relu(p) as tf.Tensor4D, 2, 2, 'valid')))(x!), TOL);
});

const sums: [string, number[], number | number[], boolean][] = [
  ['bias gradient of a conv map', [3, 5, 4, 6], [0, 1, 2], false],
  ['bias gradient of a Dense layer', [7, 9], 0, false],
  ['keepDims', [3, 5, 4], [0, 1], true],
  ['leading axes given out of order and negative', [4, 3, 2], [1, -3], false],
  ['not leading: stock path', [4, 3, 2], [1], false],
  ['every axis: stock path', [4, 3], [0, 1], false],
];
for (const [name, shape, axis, keepDims] of sums) {
  test(`sum matches cpu: ${name}`, async () => {
    await compareBackends('sum', [input(shape, 41)], (x) => tf.sum(x!, axis, keepDims), TOL);
  });
}
