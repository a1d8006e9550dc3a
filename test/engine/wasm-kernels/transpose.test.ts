import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transposeInto } from '../../../src/engine/wasm-kernels/transpose.js';
import { seeded } from '../backends.js';

test('transposeInto: a batch of two 2x3 matrices (hand-computed)', () => {
  const src = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const dst = new Float32Array(12);
  transposeInto(src, dst, 2, 2, 3);
  assert.deepEqual([...dst], [1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12]);
});

test('transposeInto: vectors keep their layout', () => {
  const src = Float32Array.from([1, 2, 3]);
  const dst = new Float32Array(3);
  transposeInto(src, dst, 1, 1, 3);
  assert.deepEqual([...dst], [1, 2, 3]);
});

test('transposeInto: sizes that cross tile edges match the definition', () => {
  for (const [batch, rows, cols] of [[1, 70, 33], [3, 33, 65], [2, 1, 40]] as const) {
    const src = seeded(batch * rows * cols, rows * cols);
    const dst = new Float32Array(src.length);
    transposeInto(src, dst, batch, rows, cols);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          assert.equal(dst[b * rows * cols + j * rows + i], src[b * rows * cols + i * cols + j]);
        }
      }
    }
  }
});
