/** Elementwise, reduction, softmax, cast and selection kernels. */
import * as tf from '@tensorflow/tfjs-core';
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { Binary, DTYPE_CODE, Reduce, Unary } from '../codes.js';
import { input, inputList, kernel, unsupported } from './kernel.js';

function unary(name: string, op: Unary): KernelConfig {
  return kernel(name, (inputs, _attrs, b) => b.output(b.addon.unary(op, b.id(input(inputs, 'x')), 0, 0)));
}

function binary(name: string, op: Binary, first = 'a', second = 'b'): KernelConfig {
  return kernel(name, (inputs, _attrs, b) => b.output(b.addon.binary(op, b.id(input(inputs, first)), b.id(input(inputs, second)))));
}

function reduction(name: string, op: Reduce, axisAttr = 'axis'): KernelConfig {
  return kernel(name, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    const axes = util.parseAxisParam(attrs[axisAttr] as number | number[], x.shape);
    return b.output(b.addon.reduce(op, b.id(x), attrs['keepDims'] === true, b.ints(axes)));
  });
}

function argReduction(name: string, isMax: boolean): KernelConfig {
  return kernel(name, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    const [axis] = util.parseAxisParam(attrs['axis'] as number, x.shape);
    return b.output(b.addon.argReduce(isMax, b.id(x), axis!));
  });
}

function dtypeCode(name: string, dtype: unknown): number {
  if (typeof dtype === 'string' && dtype in DTYPE_CODE) return DTYPE_CODE[dtype as keyof typeof DTYPE_CODE];
  return unsupported(name, `dtype ${String(dtype)}`);
}

export const mathKernels: KernelConfig[] = [
  unary(tf.Neg, Unary.Neg),
  unary(tf.Exp, Unary.Exp),
  unary(tf.Log, Unary.Log),
  unary(tf.Sqrt, Unary.Sqrt),
  unary(tf.Square, Unary.Square),
  unary(tf.Abs, Unary.Abs),
  unary(tf.Relu, Unary.Relu),
  unary(tf.Floor, Unary.Floor),
  unary(tf.Ceil, Unary.Ceil),
  unary(tf.Round, Unary.Round),
  unary(tf.Sign, Unary.Sign),
  unary(tf.Reciprocal, Unary.Reciprocal),
  unary(tf.Rsqrt, Unary.Rsqrt),
  unary(tf.Sigmoid, Unary.Sigmoid),
  unary(tf.Tanh, Unary.Tanh),
  unary(tf.Softplus, Unary.Softplus),
  unary(tf.Log1p, Unary.Log1p),
  unary(tf.Expm1, Unary.Expm1),
  unary(tf.Relu6, Unary.Relu6),
  unary(tf.Elu, Unary.Elu),
  unary(tf.LogicalNot, Unary.LogicalNot),
  unary(tf.IsNan, Unary.IsNan),
  unary(tf.Sin, Unary.Sin),
  unary(tf.Cos, Unary.Cos),
  unary(tf.ZerosLike, Unary.ZerosLike),
  unary(tf.OnesLike, Unary.OnesLike),
  unary(tf.Erf, Unary.Erf),
  unary(tf.Selu, Unary.Selu),
  kernel(tf.Step, (inputs, attrs, b) => b.output(b.addon.unary(Unary.Step, b.id(input(inputs, 'x')), attrs['alpha'] as number, 0))),
  kernel(tf.LeakyRelu, (inputs, attrs, b) => b.output(b.addon.unary(Unary.LeakyRelu, b.id(input(inputs, 'x')), attrs['alpha'] as number, 0))),
  kernel(tf.ClipByValue, (inputs, attrs, b) =>
    b.output(b.addon.unary(Unary.Clip, b.id(input(inputs, 'x')), attrs['clipValueMin'] as number, attrs['clipValueMax'] as number))),

  binary(tf.Add, Binary.Add),
  binary(tf.Sub, Binary.Sub),
  binary(tf.Multiply, Binary.Mul),
  binary(tf.RealDiv, Binary.RealDiv),
  binary(tf.FloorDiv, Binary.FloorDiv),
  binary(tf.Maximum, Binary.Maximum),
  binary(tf.Minimum, Binary.Minimum),
  binary(tf.Pow, Binary.Pow),
  binary(tf.SquaredDifference, Binary.SquaredDifference),
  binary(tf.Mod, Binary.Mod),
  binary(tf.Equal, Binary.Equal),
  binary(tf.NotEqual, Binary.NotEqual),
  binary(tf.Less, Binary.Less),
  binary(tf.LessEqual, Binary.LessEqual),
  binary(tf.Greater, Binary.Greater),
  binary(tf.GreaterEqual, Binary.GreaterEqual),
  binary(tf.LogicalAnd, Binary.LogicalAnd),
  binary(tf.LogicalOr, Binary.LogicalOr),
  binary(tf.Atan2, Binary.Atan2),
  binary(tf.Prelu, Binary.Prelu, 'x', 'alpha'),
  binary(tf.EluGrad, Binary.EluGrad, 'dy', 'y'),

  reduction(tf.Sum, Reduce.Sum),
  reduction(tf.Max, Reduce.Max, 'reductionIndices'),
  reduction(tf.Min, Reduce.Min),
  reduction(tf.Mean, Reduce.Mean),
  reduction(tf.Prod, Reduce.Prod),
  reduction(tf.All, Reduce.All),
  reduction(tf.Any, Reduce.Any),
  argReduction(tf.ArgMax, true),
  argReduction(tf.ArgMin, false),

  kernel(tf.Softmax, (inputs, attrs, b) => {
    const logits = input(inputs, 'logits');
    const dim = attrs['dim'] as number;
    return b.output(b.addon.softmax(b.id(logits), dim < 0 ? dim + logits.shape.length : dim, false));
  }),
  kernel(tf.Cast, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    const code = dtypeCode(tf.Cast, attrs['dtype']);
    return attrs['dtype'] === x.dtype ? b.share(x) : b.output(b.addon.cast(b.id(x), code));
  }),
  kernel(tf.Identity, (inputs, _attrs, b) => b.share(input(inputs, 'x'))),
  kernel(tf.Select, (inputs, _attrs, b) =>
    b.output(b.addon.select(b.id(input(inputs, 'condition')), b.id(input(inputs, 't')), b.id(input(inputs, 'e'))))),
  kernel(tf.AddN, (inputs, _attrs, b) => {
    const list = inputList(inputs);
    if (list.length === 1) return b.share(list[0]!);
    return b.output(b.addon.addN(b.ints(list.map((t: TensorInfo) => b.id(t)))));
  }),
];
