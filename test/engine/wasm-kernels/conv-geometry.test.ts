import assert from 'node:assert/strict';
import { test } from 'node:test';
import { col2imAdd, convGeometry, im2colTransposed, imagesPerChunk, tapCount, type ConvPad } from '../../../src/engine/wasm-kernels/conv-geometry.js';
import { seeded } from '../backends.js';

const iota = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i + 1);

test('convGeometry: same padding with stride 2 on an odd size', () => {
  const g = convGeometry([2, 7, 5, 3], [3, 3, 3, 4], 2, 'same');
  assert.deepEqual(
    [g.batch, g.outH, g.outW, g.outC, g.padTop, g.padLeft, tapCount(g)],
    [2, 4, 3, 4, 1, 1, 27],
  );
});

test('im2colTransposed: 3x3 image, 2x2 filter, valid (hand-computed)', () => {
  const g = convGeometry([1, 3, 3, 1], [2, 2, 1, 1], 1, 'valid');
  const out = new Float32Array(16).fill(NaN);
  im2colTransposed(iota(9), g, 0, 1, out);
  // Rows are taps (0,0), (0,1), (1,0), (1,1); columns the 4 output positions.
  assert.deepEqual([...out], [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
});

test('im2colTransposed: same padding writes zeros in the border', () => {
  const g = convGeometry([1, 2, 2, 1], [3, 3, 1, 1], 1, 'same');
  const out = new Float32Array(9 * 4).fill(NaN);
  im2colTransposed(iota(4), g, 0, 1, out);
  assert.deepEqual([...out.subarray(0, 4)], [0, 0, 0, 1]); // tap (0,0)
  assert.deepEqual([...out.subarray(16, 20)], [1, 2, 3, 4]); // tap (1,1): centre
  assert.deepEqual([...out.subarray(32, 36)], [4, 0, 0, 0]); // tap (2,2)
});

test('im2colTransposed: stride 2 and two channels (hand-computed)', () => {
  const g = convGeometry([1, 3, 3, 2], [1, 1, 2, 1], 2, 'valid');
  const x = Float32Array.from({ length: 18 }, (_, i) => i);
  const out = new Float32Array(8);
  im2colTransposed(x, g, 0, 1, out);
  // Pixels (0,0), (0,2), (2,0), (2,2); channel 0 then channel 1.
  assert.deepEqual([...out], [0, 4, 12, 16, 1, 5, 13, 17]);
});

test('col2imAdd: all-ones patch gradients count the patches covering each pixel', () => {
  const g = convGeometry([1, 3, 3, 1], [2, 2, 1, 1], 1, 'valid');
  const dx = new Float32Array(9);
  col2imAdd(new Float32Array(16).fill(1), g, 0, 1, dx);
  assert.deepEqual([...dx], [1, 2, 1, 2, 4, 2, 1, 2, 1]);
});

/** <im2col(x), R> must equal <x, col2im(R)>: col2im is the adjoint of im2col. */
const adjointCases: [string, [number, number, number, number], [number, number, number, number], number | [number, number], ConvPad][] = [
  ['same, stride 1', [2, 5, 4, 3], [3, 3, 3, 2], 1, 'same'],
  ['valid, stride 2, odd size', [1, 7, 6, 2], [3, 3, 2, 4], 2, 'valid'],
  ['same, stride 2', [3, 6, 5, 1], [3, 2, 1, 3], [2, 2], 'same'],
  ['explicit pads, stride (2, 1)', [1, 5, 5, 2], [3, 3, 2, 1], [2, 1], [[0, 0], [2, 0], [1, 3], [0, 0]]],
];
for (const [name, xShape, fShape, strides, pad] of adjointCases) {
  test(`im2col and col2im are adjoint: ${name}`, () => {
    const g = convGeometry(xShape, fShape, strides, pad);
    const P = g.batch * g.outH * g.outW;
    const K = tapCount(g);
    const x = seeded(xShape.reduce((p, q) => p * q, 1), 1);
    const r = seeded(P * K, 2);
    const colsT = new Float32Array(K * P);
    im2colTransposed(x, g, 0, g.batch, colsT);
    let left = 0;
    for (let k = 0; k < K; k++) for (let p = 0; p < P; p++) left += colsT[k * P + p]! * r[p * K + k]!;
    const dx = new Float32Array(x.length);
    col2imAdd(r, g, 0, g.batch, dx);
    let right = 0;
    for (let i = 0; i < x.length; i++) right += x[i]! * dx[i]!;
    assert.ok(Math.abs(left - right) < 1e-3 * Math.max(1, Math.abs(left)), `${left} vs ${right}`);
  });
}

test('im2colTransposed: a chunk of images equals the same rows of the whole batch', () => {
  const g = convGeometry([3, 4, 4, 2], [3, 3, 2, 1], 1, 'same');
  const x = seeded(3 * 4 * 4 * 2, 5);
  const K = tapCount(g);
  const per = g.outH * g.outW;
  const whole = new Float32Array(K * 3 * per);
  im2colTransposed(x, g, 0, 3, whole);
  const part = new Float32Array(K * per);
  im2colTransposed(x, g, 1, 2, part);
  for (let k = 0; k < K; k++) assert.deepEqual([...part.subarray(k * per, (k + 1) * per)], [...whole.subarray(k * 3 * per + per, k * 3 * per + 2 * per)]);
});

test('imagesPerChunk: bounded by the budget, at least one, at most the batch', () => {
  const g = convGeometry([10, 8, 8, 4], [3, 3, 4, 1], 1, 'same'); // 64 positions x 36 taps = 2304 per image
  assert.equal(imagesPerChunk(g, 2304 * 3), 3);
  assert.equal(imagesPerChunk(g, 100), 1);
  assert.equal(imagesPerChunk(g, 1e9), 10);
});
