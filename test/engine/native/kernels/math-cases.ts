/** Op-level cases for the elementwise, reduction, softmax, cast and selection kernels. */
import * as tf from '@tensorflow/tfjs-core';
import { bools, floats, ints, withGrads, type OpCase, type TypedInput } from '../helpers.js';

const positive = (shape: number[], seed: number): TypedInput => {
  const x = floats(shape, seed);
  x.values = x.values.map((v) => 0.1 + Math.abs(v) * 3);
  return x;
};

const X = floats([4, 5], 1, 3);
const unaryGrad = (kernel: string, fn: (x: tf.Tensor) => tf.Tensor, input: TypedInput = X, extra: string[] = []): OpCase => ({
  kernels: [kernel, ...extra], name: 'values and gradient', inputs: [input], fn: withGrads((x) => fn(x!)),
});
const unaryValue = (kernel: string, fn: (x: tf.Tensor) => tf.Tensor, input: TypedInput = X): OpCase => ({
  kernels: [kernel], name: `${input.dtype} values`, inputs: [input], fn: (x) => fn(x!),
});

const unary: OpCase[] = [
  unaryGrad(tf.Neg, tf.neg),
  unaryValue(tf.Neg, tf.neg, ints([4], [1, -2, 0, 7])),
  unaryGrad(tf.Exp, tf.exp),
  unaryGrad(tf.Log, tf.log, positive([4, 5], 2)),
  unaryGrad(tf.Sqrt, tf.sqrt, positive([4, 5], 3)),
  unaryGrad(tf.Square, tf.square),
  unaryValue(tf.Square, tf.square, ints([3], [-3, 0, 5])),
  unaryGrad(tf.Abs, tf.abs, X, [tf.Step]),
  unaryValue(tf.Abs, tf.abs, ints([3], [-3, 0, 5])),
  unaryGrad(tf.Relu, tf.relu, X, [tf.Step]),
  unaryValue(tf.Floor, tf.floor),
  unaryValue(tf.Ceil, tf.ceil),
  unaryValue(tf.Round, tf.round, { shape: [6], values: Float32Array.from([-2.5, -1.5, -0.5, 0.5, 1.5, 2.7]), dtype: 'float32' }),
  unaryValue(tf.Sign, tf.sign),
  unaryGrad(tf.Reciprocal, tf.reciprocal, positive([4, 5], 4)),
  unaryGrad(tf.Rsqrt, tf.rsqrt, positive([4, 5], 5)),
  unaryGrad(tf.Sigmoid, tf.sigmoid),
  unaryGrad(tf.Tanh, tf.tanh),
  unaryGrad(tf.Softplus, tf.softplus),
  unaryGrad(tf.Log1p, tf.log1p, positive([4, 5], 6)),
  unaryGrad(tf.Expm1, tf.expm1),
  unaryGrad(tf.Relu6, tf.relu6, floats([4, 5], 7, 8)),
  unaryGrad(tf.Elu, tf.elu, X, [tf.EluGrad]),
  unaryGrad(tf.Selu, tf.selu),
  unaryGrad(tf.Sin, tf.sin),
  unaryGrad(tf.Cos, tf.cos),
  unaryGrad(tf.Erf, tf.erf),
  unaryValue(tf.LogicalNot, tf.logicalNot, bools([4], [1, 0, 0, 1])),
  unaryValue(tf.IsNan, tf.isNaN, { shape: [4], values: Float32Array.from([NaN, 0, Infinity, -1]), dtype: 'float32' }),
  unaryValue(tf.ZerosLike, tf.zerosLike),
  unaryValue(tf.OnesLike, tf.onesLike, ints([2, 2], [1, 2, 3, 4])),
  { kernels: [tf.Step], name: 'alpha 0 and 0.3, zeros, NaN and infinities',
    inputs: [{ shape: [7], values: Float32Array.from([-1, 0, 2, -0, NaN, Infinity, -Infinity]), dtype: 'float32' }],
    fn: (x) => [tf.step(x!), tf.step(x!, 0.3)].flatMap((y) => {
      const nan = tf.isNaN(y); // NaN never equals NaN: compare where, and the rest
      return [nan, tf.where(nan, tf.zerosLike(y), y)];
    }) },
  unaryGrad(tf.LeakyRelu, (x) => tf.leakyRelu(x, 0.2)),
  unaryGrad(tf.ClipByValue, (x) => tf.clipByValue(x, -0.5, 1.2)),
];

const A = floats([3, 4], 11, 2);
/**
 * Same shapes, broadcasting, a scalar. `broadcastGrads` false: tfjs has no gradient for
 * the broadcast forms (Maximum, Minimum, SquaredDifference), so values only there.
 */
const binaryCases = (kernel: string, fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, broadcastGrads = true): OpCase[] => {
  const grads = withGrads((x, y) => fn(x!, y!));
  const values = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => fn(x, y);
  const broadcast = (broadcastGrads ? grads : values) as OpCase['fn'];
  return [
    { kernels: [kernel], name: 'same shapes, gradients', inputs: [A, floats([3, 4], 12, 2)], fn: grads },
    { kernels: [kernel], name: 'broadcast row and column', inputs: [floats([3, 1], 13, 2), floats([4], 14, 2)], fn: broadcast },
    { kernels: [kernel], name: 'with a scalar', inputs: [A, floats([], 15, 2)], fn: broadcast },
  ];
};
const positiveB = positive([3, 4], 16);
const I1 = ints([6], [7, -7, 9, -9, 0, 5]);
const I2 = ints([6], [2, 2, -4, -4, 3, 5]);

const binary: OpCase[] = [
  ...binaryCases(tf.Add, tf.add),
  ...binaryCases(tf.Sub, tf.sub),
  ...binaryCases(tf.Multiply, tf.mul),
  { kernels: [tf.RealDiv], name: 'values and gradients', inputs: [A, positiveB], fn: withGrads((a, b) => tf.div(a!, b!)) },
  { kernels: [tf.RealDiv], name: 'broadcast', inputs: [floats([3, 1], 17), positive([4], 18)], fn: withGrads((a, b) => tf.div(a!, b!)) },
  { kernels: [tf.FloorDiv], name: 'int32, floored toward -inf', inputs: [I1, I2], fn: (a, b) => tf.floorDiv(a!, b!) },
  { kernels: [tf.FloorDiv], name: 'float32', inputs: [A, positiveB], fn: (a, b) => tf.floorDiv(a!, b!) },
  { kernels: [tf.Add, tf.Sub, tf.Multiply], name: 'int32', inputs: [I1, I2], fn: (a, b) => [tf.add(a!, b!), tf.sub(a!, b!), tf.mul(a!, b!)] },
  ...binaryCases(tf.Maximum, tf.maximum, false),
  ...binaryCases(tf.Minimum, tf.minimum, false),
  { kernels: [tf.Pow], name: 'values and gradients', inputs: [positive([3, 4], 19), floats([3, 4], 20)], fn: withGrads((a, b) => tf.pow(a!, b!)) },
  { kernels: [tf.Pow], name: 'int32', inputs: [ints([3], [2, -3, 5]), ints([3], [3, 2, 0])], fn: (a, b) => tf.pow(a!, b!) },
  ...binaryCases(tf.SquaredDifference, tf.squaredDifference, false),
  { kernels: [tf.Mod], name: 'float32 signs', inputs: [A, floats([3, 4], 21, 2)], fn: (a, b) => tf.mod(a!, b!) },
  { kernels: [tf.Mod], name: 'int32 signs', inputs: [I1, I2], fn: (a, b) => tf.mod(a!, b!) },
  { kernels: [tf.Atan2], name: 'values and gradients', inputs: [A, floats([3, 4], 22)], fn: withGrads((a, b) => tf.atan2(a!, b!)) },
  { kernels: [tf.Prelu], name: 'values and gradients', inputs: [A, floats([4], 23)], fn: withGrads((x, alpha) => tf.prelu(x!, alpha!)) },
  ...[[tf.Equal, tf.equal], [tf.NotEqual, tf.notEqual], [tf.Less, tf.less], [tf.LessEqual, tf.lessEqual], [tf.Greater, tf.greater], [tf.GreaterEqual, tf.greaterEqual]]
    .map(([kernel, fn]): OpCase => ({
      kernels: [kernel as string], name: 'float32 and int32, with ties', inputs: [ints([5], [1, 2, 3, 4, 5]), ints([5], [5, 2, 1, 4, 0]), floats([2, 3], 24), floats([3], 25)],
      fn: (a, b, c, d) => [(fn as typeof tf.equal)(a!, b!), (fn as typeof tf.equal)(c!, d!), (fn as typeof tf.equal)(c!, c!)],
    })),
  { kernels: [tf.LogicalAnd, tf.LogicalOr], name: 'bool', inputs: [bools([4], [1, 1, 0, 0]), bools([4], [1, 0, 1, 0])], fn: (a, b) => [tf.logicalAnd(a!, b!), tf.logicalOr(a!, b!)] },
];

const R = floats([3, 4, 5], 31, 2);
const reductions: OpCase[] = [
  { kernels: [tf.Sum], name: 'all axes, one axis, two axes, keepDims; gradients', inputs: [R],
    fn: withGrads((x) => tf.concat([tf.reshape(tf.sum(x!), [1]), tf.reshape(tf.sum(x!, 1), [-1]), tf.reshape(tf.sum(x!, [0, 2], true), [-1])])) },
  { kernels: [tf.Sum], name: 'int32 and bool inputs sum to int32; no axes', inputs: [ints([2, 3], [1, 2, 3, 4, 5, 6]), bools([4], [1, 0, 1, 1]), R],
    fn: (i, b, x) => [tf.sum(i!, 0), tf.sum(b!), tf.sum(x!, [])] },
  { kernels: [tf.Max], name: 'values and gradients', inputs: [R], fn: withGrads((x) => tf.max(x!, [0, 2])) },
  { kernels: [tf.Max, tf.Min], name: 'keepDims and int32', inputs: [R, ints([2, 3], [5, -1, 3, 2, 9, 0])], fn: (x, i) => [tf.max(x!, -1, true), tf.min(i!, 1), tf.max(i!)] },
  { kernels: [tf.Min], name: 'values and gradients', inputs: [R], fn: withGrads((x) => tf.min(x!, 1)) },
  { kernels: [tf.Mean], name: 'values and gradients', inputs: [R], fn: withGrads((x) => tf.mean(x!, [1, 2])) },
  { kernels: [tf.Mean], name: 'all axes and keepDims', inputs: [R], fn: (x) => [tf.mean(x!), tf.mean(x!, 0, true)] },
  { kernels: [tf.Prod], name: 'values, two axes, int32', inputs: [floats([2, 3, 2], 32, 1.5), ints([2, 3], [1, 2, 3, -1, 2, 2])],
    fn: (x, i) => [tf.prod(x!, 1), tf.prod(x!, [0, 2], true), tf.prod(i!, 1)] },
  { kernels: [tf.All, tf.Any], name: 'bool', inputs: [bools([2, 3], [1, 1, 0, 0, 0, 0])], fn: (b) => [tf.all(b!, 1), tf.any(b!, 1), tf.all(b!), tf.any(b!, 0, true)] },
  { kernels: [tf.ArgMax, tf.ArgMin], name: 'axes 0 and 1, first of ties', inputs: [floats([4, 6], 33), ints([2, 4], [3, 7, 7, 1, 2, 2, 0, 2])],
    fn: (x, i) => [tf.argMax(x!, 0), tf.argMax(x!, 1), tf.argMin(x!, 1), tf.argMax(i!, 1), tf.argMin(i!, 1)] },
];

const rest: OpCase[] = [
  { kernels: [tf.Softmax], name: 'values and gradients', inputs: [floats([4, 7], 41, 4)], fn: withGrads((x) => tf.softmax(x!)) },
  { kernels: [tf.Max, tf.Sub, tf.Exp, tf.Sum, tf.Log], name: 'logSoftmax cross-entropy with gradients', inputs: [floats([5, 4], 42, 4), floats([5, 4], 43)],
    fn: withGrads((z, y) => tf.neg(tf.mean(tf.sum(tf.mul(tf.softmax(y!), tf.logSoftmax(z!)), 1)))) },
  { kernels: [tf.Cast], name: 'between float32, int32 and bool', inputs: [floats([6], 44, 3), ints([3], [0, -2, 5]), bools([3], [1, 0, 1])],
    fn: (f, i, b) => [tf.cast(f!, 'int32'), tf.cast(f!, 'bool'), tf.cast(i!, 'float32'), tf.cast(i!, 'bool'), tf.cast(b!, 'float32'), tf.cast(b!, 'int32'), tf.cast(f!, 'float32')] },
  { kernels: [tf.Identity], name: 'clone and its gradient', inputs: [X], fn: withGrads((x) => tf.clone(x!)) },
  { kernels: [tf.Select], name: 'values and gradients', inputs: [bools([3, 2], [1, 0, 0, 1, 1, 1]), floats([3, 2], 45), floats([3, 2], 46)],
    fn: (c, t, e) => withGrads((tt, ee) => tf.where(c!, tt!, ee!))(t!, e!) },
  { kernels: [tf.AddN], name: 'three tensors and gradients', inputs: [floats([2, 3], 47), floats([2, 3], 48), floats([2, 3], 49)],
    fn: withGrads((a, b, c) => tf.addN([a!, b!, c!])) },
];

export const mathCases: readonly OpCase[] = [...unary, ...binary, ...reductions, ...rest];
