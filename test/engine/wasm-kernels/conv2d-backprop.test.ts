/**
 * Conv2DBackpropFilter (new on wasm) and Conv2DBackpropInput (replaced), against the
 * cpu backend: the kernels directly, and the gradients of tf.conv2d that use them.
 */
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { compareBackends, input } from '../backends.js';
import { convGeometry } from '../../../src/engine/wasm-kernels/conv-geometry.js';

// Tolerance: 1e-4 relative to the largest reference value.
const TOL = 1e-4;

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

const cases: [string, Shape4, Shape4, number | [number, number], Pad][] = [
  ['batch 1, one channel, same', [1, 5, 5, 1], [3, 3, 1, 4], 1, 'same'],
  ['odd sizes, stride 2, same', [2, 7, 6, 3], [3, 3, 3, 5], 2, 'same'],
  ['odd sizes, stride 2, valid', [2, 7, 6, 3], [3, 3, 3, 5], 2, 'valid'],
  ['stride (2, 1), 2x3 filter, valid', [3, 9, 8, 4], [2, 3, 4, 6], [2, 1], 'valid'],
  ['explicit asymmetric pads', [2, 6, 7, 2], [3, 3, 2, 3], 1, [[0, 0], [1, 2], [2, 0], [0, 0]]],
  ['pad wider than the filter (general input path)', [2, 5, 5, 2], [3, 3, 2, 3], 1, [[0, 0], [3, 0], [0, 1], [0, 0]]],
  ['1x1 filter, stride 2, same', [2, 5, 5, 3], [1, 1, 3, 2], 2, 'same'],
  ['stride 1, valid, 3x2 filter', [2, 6, 5, 3], [3, 2, 3, 4], 1, 'valid'],
];

for (const [name, xShape, fShape, strides, pad] of cases) {
  const g = convGeometry(xShape, fShape, strides, pad);
  const dyShape: Shape4 = [g.batch, g.outH, g.outW, g.outC];

  test(`Conv2DBackpropFilter: ${name}`, async () => {
    await compareBackends('dW', [input(xShape, 1), input(dyShape, 2)], (x, dy) =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: x!, dy: dy! }, { strides, pad, dataFormat: 'NHWC', filterShape: fShape }) as tf.Tensor, TOL);
  });

  test(`Conv2DBackpropInput: ${name}`, async () => {
    await compareBackends('dx', [input(dyShape, 3), input(fShape, 4)], (dy, w) =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy: dy!, filter: w! }, { strides, pad, dataFormat: 'NHWC', inputShape: xShape }) as tf.Tensor, TOL);
  });

  test(`conv2d gradients (x and filter): ${name}`, async () => {
    await compareBackends('grads', [input(xShape, 5), input(fShape, 6), input(dyShape, 7)], (x, w, c) =>
      tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, strides, pad), c!)))([x!, w!]), TOL);
  });
}

test('conv2d gradients with bias and relu (the fused path tfjs-layers takes)', async () => {
  const xShape: Shape4 = [2, 8, 8, 3];
  const fShape: Shape4 = [3, 3, 3, 4];
  await compareBackends('grads', [input(xShape, 8), input(fShape, 9), input([4], 10)], (x, w, b) =>
    tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => tf.sum(tf.square(tf.fused.conv2d({ x: p as tf.Tensor4D, filter: q as tf.Tensor4D, strides: 1, pad: 'same', bias: r, activation: 'relu' }))))([x!, w!, b!]), TOL);
});

test('conv backprops split a large batch into chunks and still match', async () => {
  // 64x64 positions x 144 taps per image: 7 images per 4 Mi-float chunk, so 8 images make two chunks.
  const xShape: Shape4 = [8, 128, 128, 16];
  const fShape: Shape4 = [3, 3, 16, 4];
  const g = convGeometry(xShape, fShape, 2, 'same');
  const dyShape: Shape4 = [g.batch, g.outH, g.outW, g.outC];
  await compareBackends('dW', [input(xShape, 11), input(dyShape, 12)], (x, dy) =>
    tf.engine().runKernel('Conv2DBackpropFilter', { x: x!, dy: dy! }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: fShape }) as tf.Tensor, TOL);
  await compareBackends('dx', [input(dyShape, 13), input(fShape, 14)], (dy, w) =>
    tf.engine().runKernel('Conv2DBackpropInput', { dy: dy!, filter: w! }, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: xShape }) as tf.Tensor, TOL);
});
