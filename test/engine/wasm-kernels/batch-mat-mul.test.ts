import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { swapIsCheaper } from '../../../src/engine/wasm-kernels/batch-mat-mul.js';
import { compareBackends, input } from '../backends.js';

// Tolerance for every comparison here: 1e-4 relative to the largest reference value.
const TOL = 1e-4;

test('swapIsCheaper: a Dense input gradient (dy · W^T) is computed turned round', () => {
  // direct: transpose W (256·512) + pack it (256·512) = 262144; swapped: 2·128·256 + 128·512 = 131072
  assert.equal(swapIsCheaper(128, 256, 512, false, true), true);
  // A^T · B never gains from turning round: it only adds the result's transpose.
  assert.equal(swapIsCheaper(512, 128, 256, true, false), false);
  assert.equal(swapIsCheaper(1024, 10, 10, false, true), false);
  // Both transposed: one transpose of a small result beats two of the operands.
  assert.equal(swapIsCheaper(10, 300, 20, true, true), true);
});

const flags: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
/** [m, k, n]: scalars, a batch of one row, odd sizes, Dense-like sizes, and few rows
 * against many columns (there A · B^T is computed turned round, see swapIsCheaper). */
const sizes: [number, number, number][] = [[1, 1, 1], [1, 7, 5], [37, 19, 23], [128, 96, 64], [4, 64, 300]];

for (const [m, k, n] of sizes) {
  for (const [ta, tb] of flags) {
    test(`matMul ${m}x${k}x${n} transposeA=${ta} transposeB=${tb}: values and gradients match cpu`, async () => {
      const a = input(ta ? [k, m] : [m, k], m * 7 + k);
      const b = input(tb ? [n, k] : [k, n], n * 11 + k);
      const w = input([m, n], 3);
      await compareBackends('value', [a, b], (x, y) => tf.matMul(x!, y!, ta, tb), TOL);
      await compareBackends('gradients', [a, b, w], (x, y, c) => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q, ta, tb), c!)))([x!, y!]), TOL);
    });
  }
}

// Gradients only where the batch is not broadcast: tfjs-core's BatchMatMul gradient
// does not reduce broadcast batch axes (it throws on cpu as well).
const batched: [string, number[], number[], boolean, boolean, boolean][] = [
  ['same batch, per-matrix path', [3, 40, 33], [3, 33, 31], false, false, true],
  ['same batch, both transposed', [3, 33, 40], [3, 31, 33], true, true, true],
  ['b broadcast from batch 1, transposed', [4, 40, 33], [1, 31, 33], false, true, false],
  ['b of rank 2 broadcast', [2, 40, 33], [33, 35], false, false, false],
  ['a broadcast, transposed', [1, 33, 40], [3, 33, 35], true, false, false],
  ['rank 4', [2, 2, 36, 33], [2, 2, 33, 34], false, false, true],
  ['tiny matrices stay on the stock loop', [4, 5, 6], [4, 7, 6], false, true, true],
];
for (const [name, aShape, bShape, ta, tb, grads] of batched) {
  test(`batched matMul: ${name}`, async () => {
    const a = input(aShape, 21);
    const b = input(bShape, 22);
    await compareBackends('value', [a, b], (x, y) => tf.matMul(x!, y!, ta, tb), TOL);
    if (grads) await compareBackends('gradients', [a, b], (x, y) => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q, ta, tb))))([x!, y!]), TOL);
  });
}

test('matMul: mismatched inner sizes still throw', async () => {
  const a = input([3, 4], 1);
  const b = input([5, 2], 2);
  await assert.rejects(compareBackends('value', [a, b], (x, y) => tf.matMul(x!, y!, true, false)), /inner shapes/);
});
