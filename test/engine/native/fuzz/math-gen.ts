/** Fuzz case generators for the elementwise, reduction, softmax, cast and select kernels. */
import * as tf from '@tensorflow/tfjs-core';
import { broadcastable, clashing, shapeOf, size, tensor, type FuzzCase, type FuzzDType, type Rng } from './case.js';

/** Floats beyond int32 (as float32 rounds them) and the non-finite ones, among ordinary ones. */
const OUT_OF_INT32 = [NaN, Infinity, -Infinity, 1e10, -1e10, 2147483648, -2147483904, 4294967296 * 3 + 256, -2.5, 3.75];

export type Generator = (r: Rng) => FuzzCase;

/** Unary kernels and the dtypes tfjs ops hand them besides float32. */
const UNARY: [string, FuzzDType[]][] = [
  [tf.Neg, ['int32']], [tf.Exp, []], [tf.Log, []], [tf.Sqrt, []], [tf.Square, ['int32']], [tf.Abs, ['int32']],
  [tf.Relu, ['int32']], [tf.Floor, []], [tf.Ceil, []], [tf.Round, []], [tf.Sign, ['int32']], [tf.Reciprocal, []],
  [tf.Rsqrt, []], [tf.Sigmoid, []], [tf.Tanh, []], [tf.Softplus, []], [tf.Log1p, []], [tf.Expm1, []],
  [tf.Relu6, ['int32']], [tf.Elu, []], [tf.IsNan, []], [tf.Sin, []], [tf.Cos, []], [tf.ZerosLike, ['int32', 'bool']],
  [tf.OnesLike, ['int32', 'bool']], [tf.Erf, []], [tf.Selu, []],
];

function unary(kernel: string, extra: FuzzDType[], attrs: (r: Rng) => Record<string, unknown> = () => ({})): Generator {
  return (r) => ({ kernel, inputs: { x: tensor(r, shapeOf(r), r.chance(0.3) && extra.length > 0 ? r.pick(extra) : 'float32') }, attrs: attrs(r), invalid: false });
}

/** Binary kernels: [name, input names, dtypes besides float32]. */
const BINARY: [string, [string, string], FuzzDType[]][] = [
  [tf.Add, ['a', 'b'], ['int32']], [tf.Sub, ['a', 'b'], ['int32']], [tf.Multiply, ['a', 'b'], ['int32']],
  [tf.RealDiv, ['a', 'b'], []], [tf.FloorDiv, ['a', 'b'], ['int32']], [tf.Maximum, ['a', 'b'], ['int32']],
  [tf.Minimum, ['a', 'b'], ['int32']], [tf.Pow, ['a', 'b'], []], [tf.SquaredDifference, ['a', 'b'], ['int32']],
  [tf.Mod, ['a', 'b'], ['int32']], [tf.Equal, ['a', 'b'], ['int32', 'bool']], [tf.NotEqual, ['a', 'b'], ['int32', 'bool']],
  [tf.Less, ['a', 'b'], ['int32']], [tf.LessEqual, ['a', 'b'], ['int32']], [tf.Greater, ['a', 'b'], ['int32']],
  [tf.GreaterEqual, ['a', 'b'], ['int32']], [tf.Atan2, ['a', 'b'], []], [tf.Prelu, ['x', 'alpha'], []],
];

function binary(kernel: string, names: [string, string], extra: FuzzDType[], only?: FuzzDType): Generator {
  return (r) => {
    const dtype: FuzzDType = only ?? (r.chance(0.3) && extra.length > 0 ? r.pick(extra) : 'float32');
    const shape = shapeOf(r);
    const bad = r.chance(0.15) ? clashing(r, shape) : null;
    let shapes = [shape, bad ?? broadcastable(r, shape)];
    if (r.chance(0.5)) shapes = [shapes[1]!, shapes[0]!];
    // Divisors stay non-zero for float Mod only (NaN both sides, but no information); integer
    // modulo by 0 is 0 in tfjs (NaN stored into an Int32Array) and must be on native too.
    const positive = dtype === 'float32' && kernel === tf.Mod && r.chance(0.5);
    // Invalid too: operands of two dtypes (tfjs' ops make them one).
    const mixed = bad === null && r.chance(0.05);
    const second: FuzzDType = mixed ? (dtype === 'int32' ? 'float32' : 'int32') : dtype;
    return {
      kernel,
      inputs: { [names[0]]: tensor(r, shapes[0]!, dtype), [names[1]]: tensor(r, shapes[1]!, second, positive) },
      attrs: {}, invalid: bad !== null || mixed,
    };
  };
}

/** Axes to reduce: a random subset, some given as negative numbers; now and then one out of range. */
function axes(r: Rng, rank: number): { axis: number[]; invalid: boolean } {
  if (rank > 0 && r.chance(0.08)) return { axis: [r.chance(0.5) ? rank : -rank - 1], invalid: true };
  const axis = Array.from({ length: rank }, (_, i) => i).filter(() => r.chance(0.5)).map((a) => (r.chance(0.3) ? a - rank : a));
  return { axis, invalid: false };
}

/** Whether reducing `axis` of `shape` takes the extreme (or mean) of no values into some output. */
function emptyReduction(shape: number[], axis: number[]): boolean {
  const reduced = axis.map((a) => (a + shape.length) % shape.length);
  const kept = shape.filter((_, i) => !reduced.includes(i));
  return size(kept) > 0 && reduced.some((a) => shape[a] === 0);
}

/** Kernels whose value over no elements tfjs' cpu kernel leaves undefined (sums and products do not). */
const UNDEFINED_WHEN_EMPTY = new Set<string>([tf.Max, tf.Min, tf.Mean, tf.All, tf.Any, tf.ArgMax, tf.ArgMin]);

function reduction(kernel: string, dtypes: FuzzDType[], axisAttr = 'axis'): Generator {
  return (r) => {
    const shape = shapeOf(r);
    const { axis, invalid } = axes(r, shape.length);
    const cpuUndefined = !invalid && UNDEFINED_WHEN_EMPTY.has(kernel) && emptyReduction(shape, axis);
    return { kernel, inputs: { x: tensor(r, shape, r.pick(dtypes)) }, attrs: { [axisAttr]: axis, keepDims: r.chance(0.5) }, invalid, cpuUndefined };
  };
}

function argReduction(kernel: string): Generator {
  return (r) => {
    const shape = shapeOf(r, 1);
    const invalid = r.chance(0.08);
    const axis = invalid ? shape.length : r.between(-shape.length, shape.length - 1);
    const cpuUndefined = !invalid && emptyReduction(shape, [axis]);
    return { kernel, inputs: { x: tensor(r, shape, r.pick(['float32', 'int32'] as FuzzDType[])) }, attrs: { axis }, invalid, cpuUndefined };
  };
}

function sameShapes(r: Rng, n: number, dtype: FuzzDType): { inputs: ReturnType<typeof tensor>[]; invalid: boolean } {
  const shape = shapeOf(r);
  const bad = n > 1 && r.chance(0.15) ? clashing(r, shape) : null;
  const inputs = Array.from({ length: n }, (_, i) => tensor(r, i === n - 1 && bad !== null ? bad : shape, dtype));
  return { inputs, invalid: bad !== null };
}

export const mathGenerators: Record<string, Generator> = {
  ...Object.fromEntries(UNARY.map(([k, extra]) => [k, unary(k, extra)])),
  [tf.LogicalNot]: (r) => ({ kernel: tf.LogicalNot, inputs: { x: tensor(r, shapeOf(r), 'bool') }, attrs: {}, invalid: false }),
  [tf.Step]: unary(tf.Step, [], (r) => ({ alpha: r.pick([0, 0.3]) })),
  [tf.LeakyRelu]: unary(tf.LeakyRelu, [], (r) => ({ alpha: r.pick([0.2, 0.01]) })),
  [tf.ClipByValue]: unary(tf.ClipByValue, ['int32'], (r) => ({ clipValueMin: r.pick([-1.5, -2, 0]), clipValueMax: r.pick([1, 2.5, 3]) })),
  ...Object.fromEntries(BINARY.map(([k, names, extra]) => [k, binary(k, names, extra)])),
  [tf.LogicalAnd]: binary(tf.LogicalAnd, ['a', 'b'], [], 'bool'),
  [tf.LogicalOr]: binary(tf.LogicalOr, ['a', 'b'], [], 'bool'),
  // ELU's gradient: dy and y of one shape (tfjs never broadcasts them).
  [tf.EluGrad]: (r) => {
    const { inputs, invalid } = sameShapes(r, 2, 'float32');
    return { kernel: tf.EluGrad, inputs: { dy: inputs[0]!, y: inputs[1]! }, attrs: {}, invalid };
  },
  [tf.Sum]: reduction(tf.Sum, ['float32', 'int32']),
  [tf.Max]: reduction(tf.Max, ['float32', 'int32'], 'reductionIndices'),
  [tf.Min]: reduction(tf.Min, ['float32', 'int32']),
  [tf.Mean]: reduction(tf.Mean, ['float32']),
  [tf.Prod]: reduction(tf.Prod, ['float32', 'int32']),
  [tf.All]: reduction(tf.All, ['bool']),
  [tf.Any]: reduction(tf.Any, ['bool']),
  [tf.ArgMax]: argReduction(tf.ArgMax),
  [tf.ArgMin]: argReduction(tf.ArgMin),
  [tf.Softmax]: (r) => ({ kernel: tf.Softmax, inputs: { logits: tensor(r, shapeOf(r, 1)) }, attrs: { dim: -1 }, invalid: false }),
  [tf.Cast]: (r) => {
    const x = tensor(r, shapeOf(r), r.pick(['float32', 'int32', 'bool'] as FuzzDType[]));
    // Floats an int32 cannot hold: tfjs converts them as JavaScript's ToInt32 (0, or wrapped).
    if (x.dtype === 'float32' && r.chance(0.3)) x.values = x.values.map((v) => (r.chance(0.5) ? r.pick(OUT_OF_INT32) : v));
    return { kernel: tf.Cast, inputs: { x }, attrs: { dtype: r.pick(['float32', 'int32', 'bool']) }, invalid: false };
  },
  [tf.Identity]: (r) => ({ kernel: tf.Identity, inputs: { x: tensor(r, shapeOf(r), r.pick(['float32', 'int32', 'bool'] as FuzzDType[])) }, attrs: {}, invalid: false }),
  [tf.Select]: (r) => {
    const dtype = r.pick(['float32', 'int32'] as FuzzDType[]);
    const { inputs, invalid } = sameShapes(r, 2, dtype);
    // tfjs' where() broadcasts the condition to the values' shape before the kernel.
    const shape = inputs[0]!.shape;
    const row = !invalid && shape.length > 1 && shape[0]! !== size(shape) && r.chance(0.1);
    return { kernel: tf.Select, inputs: { condition: tensor(r, row ? [shape[0]!] : shape, 'bool'), t: inputs[0]!, e: inputs[1]! }, attrs: {}, invalid: invalid || row };
  },
  [tf.AddN]: (r) => {
    const { inputs, invalid } = sameShapes(r, r.between(1, 4), r.pick(['float32', 'int32'] as FuzzDType[]));
    return { kernel: tf.AddN, inputs, attrs: {}, invalid };
  },
};
