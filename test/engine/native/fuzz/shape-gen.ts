/** Fuzz case generators for the shape, indexing and construction kernels. */
import * as tf from '@tensorflow/tfjs-core';
import { clashing, dim, shapeOf, size, tensor, type FuzzCase, type FuzzDType, type FuzzInput, type Rng } from './case.js';
import type { Generator } from './math-gen.js';

const DTYPES: FuzzDType[] = ['float32', 'int32', 'bool'];
/** Past what any typed array holds: cpu throws a RangeError, native must refuse it. */
const HUGE = 2 ** 32 + 1;

function permutation(r: Rng, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

function anyTensor(r: Rng, minRank = 0): FuzzInput {
  return tensor(r, shapeOf(r, minRank), r.pick(DTYPES));
}

/** n tensors of one dtype whose shapes agree except on `axis` (or, if `clash`, elsewhere too). */
function alongAxis(r: Rng, n: number, base: number[], axis: number | null, dtype: FuzzDType): FuzzInput[] {
  return Array.from({ length: n }, () => tensor(r, base.map((d, i) => (i === axis ? dim(r) : d)), dtype));
}

function listCase(kernel: string, r: Rng, stack: boolean): FuzzCase {
  const base = shapeOf(r, stack ? 0 : 1);
  const rank = base.length + (stack ? 1 : 0);
  const axis = r.between(-rank, rank - 1);
  const n = r.between(1, 4);
  const inputs = alongAxis(r, n, base, stack ? null : (axis + rank) % rank, r.pick(['float32', 'int32'] as FuzzDType[]));
  const bad = n > 1 && r.chance(0.15) ? clashing(r, inputs[0]!.shape.map((d, i) => (!stack && i === (axis + rank) % rank ? 1 : d))) : null;
  if (bad !== null) inputs[n - 1] = tensor(r, bad.map((d, i) => (!stack && i === (axis + rank) % rank ? inputs[n - 1]!.shape[i]! : d)), inputs[0]!.dtype);
  return { kernel, inputs, attrs: { axis }, invalid: bad !== null };
}

function reshapeTarget(r: Rng, shape: number[]): number[] {
  const n = size(shape);
  const choices = [[n], [...shape].reverse(), [...shape, 1], [1, n]];
  const target = r.pick(choices);
  if (n > 0 && r.chance(0.3)) target[r.int(target.length)] = -1;
  return target;
}

export const shapeGenerators: Record<string, Generator> = {
  [tf.Reshape]: (r) => {
    const x = anyTensor(r);
    const invalid = r.chance(0.1);
    return { kernel: tf.Reshape, inputs: { x }, attrs: { shape: invalid ? [size(x.shape) + 1] : reshapeTarget(r, x.shape) }, invalid };
  },
  [tf.Transpose]: (r) => {
    const x = anyTensor(r);
    const perm = permutation(r, x.shape.length);
    const invalid = perm.length > 1 && r.chance(0.1);
    if (invalid) perm[0] = perm[1]!;
    return { kernel: tf.Transpose, inputs: { x }, attrs: { perm }, invalid };
  },
  [tf.Slice]: (r) => {
    const x = anyTensor(r);
    const begin = x.shape.map((d) => r.between(0, d));
    const sz = x.shape.map((d, i) => (r.chance(0.2) ? -1 : r.between(0, d - begin[i]!)));
    const invalid = x.shape.length > 0 && r.chance(0.1);
    if (invalid) sz[0] = x.shape[0]! - begin[0]! + 1;
    return { kernel: tf.Slice, inputs: { x }, attrs: { begin, size: sz }, invalid };
  },
  [tf.Concat]: (r) => listCase(tf.Concat, r, false),
  [tf.Pack]: (r) => listCase(tf.Pack, r, true),
  [tf.SplitV]: (r) => {
    const x = anyTensor(r, 1);
    const axis = r.between(-x.shape.length, x.shape.length - 1);
    const d = x.shape[(axis + x.shape.length) % x.shape.length]!;
    const sizes: number[] = [];
    for (let left = d; left > 0;) left -= sizes[sizes.push(r.between(1, left)) - 1]!;
    if (sizes.length > 1 && r.chance(0.2)) sizes[r.int(sizes.length)] = -1;
    const split = sizes.length > 0 && r.chance(0.3) ? sizes.length : sizes;
    return { kernel: tf.SplitV, inputs: { x }, attrs: { numOrSizeSplits: split, axis }, invalid: false };
  },
  [tf.Unpack]: (r) => {
    const x = anyTensor(r, 1);
    return { kernel: tf.Unpack, inputs: { value: x }, attrs: { axis: r.between(-x.shape.length, x.shape.length - 1) }, invalid: false };
  },
  [tf.Tile]: (r) => {
    const x = anyTensor(r);
    const invalid = x.shape.length > 0 && size(x.shape) > 0 && r.chance(0.1);
    return { kernel: tf.Tile, inputs: { x }, attrs: { reps: x.shape.map((_, i) => (invalid && i === 0 ? HUGE : r.between(0, 3))) }, invalid };
  },
  [tf.PadV2]: (r) => {
    const x = anyTensor(r);
    const invalid = x.shape.length > 0 && r.chance(0.1);
    const paddings = x.shape.map((_, i) => (invalid && i === 0 ? [HUGE, 0] : [r.between(0, 2), r.between(0, 2)]));
    const constantValue = x.dtype === 'bool' ? r.int(2) : r.pick([0, 1.5, -2]);
    return { kernel: tf.PadV2, inputs: { x }, attrs: { paddings, constantValue }, invalid };
  },
  [tf.Reverse]: (r) => {
    const x = anyTensor(r);
    const dims = x.shape.map((_, i) => i).filter(() => r.chance(0.5));
    return { kernel: tf.Reverse, inputs: { x }, attrs: { dims }, invalid: false };
  },
  [tf.GatherV2]: (r) => {
    const x = tensor(r, shapeOf(r, 1), r.pick(['float32', 'int32'] as FuzzDType[]));
    const axis = r.between(-x.shape.length, x.shape.length - 1);
    const d = x.shape[(axis + x.shape.length) % x.shape.length]!;
    const indices = tensor(r, shapeOf(r, 0, 2), 'int32');
    const invalid = indices.values.length > 0 && (d === 0 || r.chance(0.1));
    indices.values = indices.values.map(() => (d > 0 ? r.int(d) : 0));
    if (invalid) indices.values[r.int(indices.values.length)] = r.pick([d, -1]);
    return { kernel: tf.GatherV2, inputs: { x, indices }, attrs: { axis, batchDims: 0 }, invalid };
  },
  [tf.OneHot]: (r) => {
    const depth = r.between(1, 5);
    const indices = tensor(r, shapeOf(r, 0, 3), 'int32');
    indices.values = indices.values.map(() => r.between(-1, depth));
    return { kernel: tf.OneHot, inputs: { indices }, attrs: { depth, onValue: r.pick([1, 5]), offValue: r.pick([0, -1]), dtype: r.pick(['float32', 'int32']) }, invalid: false };
  },
  [tf.Fill]: (r) => {
    const invalid = r.chance(0.1);
    const shape = invalid ? [HUGE] : shapeOf(r);
    const dtype = r.pick(['float32', 'int32']);
    return { kernel: tf.Fill, inputs: {}, attrs: { shape, value: dtype === 'int32' ? 3 : r.pick([0, 1.5, -2]), dtype }, invalid };
  },
  [tf.Range]: (r) => {
    const dtype = r.pick(['float32', 'int32']);
    const step = r.pick(dtype === 'int32' ? [1, 2, -1, -3] : [0.5, 1, -0.75, 2]);
    return { kernel: tf.Range, inputs: {}, attrs: { start: r.between(-5, 5), stop: r.between(-5, 5), step, dtype }, invalid: false };
  },
  [tf.UnsortedSegmentSum]: (r) => {
    // float32 only: tfjs' cpu kernel turns int32 sums into float32 (native keeps int32).
    const x = tensor(r, shapeOf(r, 1), 'float32');
    const numSegments = r.between(1, 4);
    const segmentIds = tensor(r, [x.shape[0]!], 'int32');
    segmentIds.values = segmentIds.values.map(() => r.between(0, numSegments - 1));
    return { kernel: tf.UnsortedSegmentSum, inputs: { x, segmentIds }, attrs: { numSegments }, invalid: false };
  },
};
