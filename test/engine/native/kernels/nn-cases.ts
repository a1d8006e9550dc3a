/** Op-level cases for matrix products, convolutions and pooling, with their gradients. */
import * as tf from '@tensorflow/tfjs-core';
import { floats, withGrads, type OpCase, type TypedInput } from '../helpers.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

const products: [string, number[], number[], boolean, boolean][] = [
  ['2-D', [5, 7], [7, 3], false, false],
  ['2-D, a transposed', [7, 5], [7, 3], true, false],
  ['2-D, b transposed', [5, 7], [3, 7], false, true],
  ['2-D, both transposed', [7, 5], [3, 7], true, true],
  ['a row vector', [1, 64], [64, 33], false, false],
  ['large', [128, 512], [512, 256], false, false],
  ['batched', [3, 4, 6], [3, 6, 2], false, false],
  ['batched, transposed', [3, 6, 4], [3, 2, 6], true, true],
];

export const matMul: OpCase[] = [
  ...products.map(([name, a, b, ta, tb], i): OpCase => ({
    kernels: [tf.BatchMatMul], name: `${name}, gradients`, inputs: [floats(a, 2 * i + 1), floats(b, 2 * i + 2)],
    fn: withGrads((x, y) => tf.matMul(x!, y!, ta, tb)),
  })),
  // tfjs has no gradient for a broadcast batch (on any backend): values only.
  { kernels: [tf.BatchMatMul], name: 'broadcast batch', inputs: [floats([2, 3, 4, 5], 20), floats([1, 5, 6], 21)], fn: (a, b) => tf.matMul(a!, b!) },
  ...(['linear', 'relu', 'elu', 'relu6', 'sigmoid', 'leakyrelu'] as const).map((activation, i): OpCase => ({
    kernels: [tf._FusedMatMul], name: `bias and ${activation}, gradients`, inputs: [floats([9, 5], 30 + i, 3), floats([5, 6], 40 + i), floats([6], 50 + i)],
    fn: withGrads((a, b, bias) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: bias!, activation, leakyreluAlpha: 0.3 })),
  })),
  { kernels: [tf._FusedMatMul], name: 'bias as a row, relu, gradients', inputs: [floats([9, 5], 60, 3), floats([5, 6], 61), floats([1, 6], 62)],
    fn: withGrads((a, b, bias) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: bias!, activation: 'relu' })) },
  { kernels: [tf._FusedMatMul], name: 'prelu weights and transposes', inputs: [floats([5, 9], 63, 3), floats([6, 5], 64), floats([6], 65), floats([6], 66)],
    fn: (a, b, bias, alpha) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA: true, transposeB: true, bias: bias!, activation: 'prelu', preluActivationWeights: alpha! }) },
];

const image = (shape: number[], seed: number): TypedInput => floats(shape, seed, 2);

function convCase(name: string, x: number[], filter: number[], strides: number, pad: Pad, seed: number, dilations = 1, grads = true): OpCase {
  const conv = (a: tf.Tensor, f: tf.Tensor): tf.Tensor => tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, strides, pad, 'NHWC', dilations);
  return {
    kernels: grads ? [tf.Conv2D, tf.Conv2DBackpropInput, tf.Conv2DBackpropFilter] : [tf.Conv2D],
    name, inputs: [image(x, seed), floats(filter, seed + 1)],
    fn: grads ? withGrads((a, f) => conv(a!, f!)) : (a, f) => conv(a!, f!),
  };
}

const conv: OpCase[] = [
  convCase("3x3 'same', 3 -> 4 channels, gradients", [2, 5, 6, 3], [3, 3, 3, 4], 1, 'same', 70),
  convCase("3x3 'valid' stride 2, gradients", [2, 9, 7, 2], [3, 3, 2, 5], 2, 'valid', 72),
  convCase("3x3 'same' stride 2 on even sizes (uneven pads), gradients", [1, 8, 6, 2], [3, 3, 2, 3], 2, 'same', 74),
  convCase("4x2 'same' (pads larger at the bottom), gradients", [2, 7, 5, 1], [4, 2, 1, 2], 1, 'same', 76),
  convCase('explicit pads, gradients', [1, 6, 6, 2], [3, 3, 2, 2], 1, [[0, 0], [1, 2], [0, 1], [0, 0]], 78),
  convCase('1x1 filter, gradients', [2, 4, 4, 3], [1, 1, 3, 5], 1, 'valid', 80),
  convCase("dilation 2 'same' (tfjs has no gradient for dilations)", [1, 9, 9, 2], [3, 3, 2, 3], 1, 'same', 82, 2, false),
  convCase("28x28 input, 32 and 64 channels (conv_step's sizes)", [4, 12, 12, 32], [3, 3, 32, 64], 1, 'valid', 84),
  ...(['linear', 'relu', 'elu', 'relu6', 'sigmoid', 'leakyrelu'] as const).map((activation, i): OpCase => ({
    kernels: [tf.FusedConv2D, tf.Conv2DBackpropInput, tf.Conv2DBackpropFilter], name: `bias and ${activation}, gradients`,
    inputs: [image([2, 6, 5, 3], 90 + i), floats([3, 3, 3, 4], 100 + i), floats([4], 110 + i)],
    fn: withGrads((x, f, bias) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: bias!, activation, leakyreluAlpha: 0.2 })),
  })),
  { kernels: [tf.FusedConv2D], name: "stride 2 'same', bias of shape [1, 1, 1, C], prelu", inputs: [image([2, 8, 8, 3], 120), floats([3, 3, 3, 4], 121), floats([1, 1, 1, 4], 122), floats([4], 123)],
    fn: (x, f, bias, alpha) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 2, pad: 'same', bias: bias!, activation: 'prelu', preluActivationWeights: alpha! }) },
];

function poolCase(kind: 'max' | 'avg', name: string, x: TypedInput, size: number | [number, number], strides: number, pad: 'same' | 'valid' | number): OpCase {
  const pool = kind === 'max' ? tf.maxPool : tf.avgPool;
  return {
    kernels: kind === 'max' ? [tf.MaxPool, tf.MaxPoolGrad] : [tf.AvgPool, tf.AvgPoolGrad],
    name, inputs: [x], fn: withGrads((a) => pool(a as tf.Tensor4D, size, strides, pad)),
  };
}

/** Values on a coarse grid: pooling windows with ties, where the first maximum gets the gradient. */
const ties: TypedInput = (() => {
  const x = floats([2, 6, 6, 3], 130);
  x.values = x.values.map((v) => Math.round(v * 1.5));
  return x;
})();

const pool: OpCase[] = [
  ...(['max', 'avg'] as const).flatMap((kind, k) => [
    poolCase(kind, "2x2 'valid' stride 2, gradients", image([2, 6, 8, 3], 140 + k), 2, 2, 'valid'),
    poolCase(kind, "3x3 'same' stride 2 (uneven pads), gradients", image([2, 8, 7, 2], 142 + k), 3, 2, 'same'),
    poolCase(kind, "3x2 'same' stride 1, gradients", image([1, 5, 6, 2], 144 + k), [3, 2], 1, 'same'),
    poolCase(kind, "odd sizes 'valid', gradients", image([1, 7, 5, 4], 146 + k), 2, 2, 'valid'),
    poolCase(kind, 'pads of 2 around a 3x3 window, gradients', image([1, 5, 6, 2], 148 + k), 3, 1, 2),
  ]),
  poolCase('max', 'ties: the first maximum of a window gets the gradient', ties, 2, 2, 'valid'),
  poolCase('max', "ties with overlapping 'same' windows", ties, 3, 1, 'same'),
];

export const nnCases: readonly OpCase[] = [...matMul, ...conv, ...pool];
