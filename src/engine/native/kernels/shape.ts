/** Shape, indexing and construction kernels. */
import * as tf from '@tensorflow/tfjs-core';
import { backend_util, slice_util, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { DTYPE_CODE } from '../codes.js';
import { input, inputList, kernel, unsupported } from './kernel.js';

function dtypeCode(name: string, dtype: unknown): number {
  if (typeof dtype === 'string' && dtype in DTYPE_CODE) return DTYPE_CODE[dtype as keyof typeof DTYPE_CODE];
  return unsupported(name, `dtype ${String(dtype)}`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export const shapeKernels: KernelConfig[] = [
  kernel(tf.Reshape, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    const shape = util.inferFromImplicitShape(attrs['shape'] as number[], util.sizeFromShape(x.shape));
    if (sameShape(shape, x.shape)) return b.share(x);
    return b.output(b.addon.reshape(b.id(x), b.ints(shape)));
  }),
  kernel(tf.Transpose, (inputs, attrs, b) => b.output(b.addon.transpose(b.id(input(inputs, 'x')), b.ints(attrs['perm'] as number[])))),
  kernel(tf.Slice, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    const [begin, size] = slice_util.parseSliceParams(x, attrs['begin'] as number[], attrs['size'] as number[]);
    // The id first: moving x from another backend writes its shape into the io buffer.
    const xid = b.id(x);
    b.io.set(begin!);
    b.io.set(size!, x.shape.length);
    return b.output(b.addon.slice(xid, x.shape.length));
  }),
  kernel(tf.Concat, (inputs, attrs, b) => {
    const list = inputList(inputs);
    const axis = util.parseAxisParam(attrs['axis'] as number, list[0]!.shape)[0]!;
    if (list.length === 1) return b.share(list[0]!);
    // Empty inputs too: the addon checks every shape, empty or not.
    return b.output(b.addon.concat(b.ints(list.map((t) => b.id(t))), axis));
  }),
  kernel(tf.SplitV, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    const axis = util.parseAxisParam(attrs['axis'] as number, x.shape)[0]!;
    const sizes = backend_util.prepareSplitSize(x, attrs['numOrSizeSplits'] as number[] | number, axis);
    return b.outputs(b.addon.split(b.id(x), axis, b.ints(sizes)));
  }),
  kernel(tf.Pack, (inputs, attrs, b) => {
    const list = inputList(inputs);
    const rank = list[0]!.shape.length;
    const axis = attrs['axis'] as number;
    return b.output(b.addon.pack(b.ints(list.map((t: TensorInfo) => b.id(t))), axis < 0 ? axis + rank + 1 : axis));
  }),
  kernel(tf.Unpack, (inputs, attrs, b) => {
    const x = input(inputs, 'value');
    const axis = util.parseAxisParam(attrs['axis'] as number, x.shape)[0]!;
    return b.outputs(b.addon.unpack(b.id(x), axis));
  }),
  kernel(tf.Tile, (inputs, attrs, b) => b.output(b.addon.tile(b.id(input(inputs, 'x')), b.ints(attrs['reps'] as number[])))),
  kernel(tf.PadV2, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    const paddings = attrs['paddings'] as [number, number][];
    return b.output(b.addon.pad(b.id(x), b.ints(paddings.flat()) / 2, attrs['constantValue'] as number));
  }),
  kernel(tf.Reverse, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    return b.output(b.addon.reverse(b.id(x), b.ints(util.parseAxisParam(attrs['dims'] as number | number[], x.shape))));
  }),
  kernel(tf.GatherV2, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    const indices = input(inputs, 'indices');
    if ((attrs['batchDims'] as number | undefined ?? 0) !== 0) unsupported(tf.GatherV2, 'batchDims');
    const axis = util.parseAxisParam(attrs['axis'] as number, x.shape)[0]!;
    return b.output(b.addon.gather(b.id(x), b.id(indices), axis));
  }),
  kernel(tf.OneHot, (inputs, attrs, b) =>
    b.output(b.addon.oneHot(b.id(input(inputs, 'indices')), attrs['depth'] as number, attrs['onValue'] as number,
      attrs['offValue'] as number, dtypeCode(tf.OneHot, attrs['dtype'])))),
  kernel(tf.Fill, (_inputs, attrs, b) => {
    const value = attrs['value'];
    if (typeof value !== 'number') unsupported(tf.Fill, 'string values');
    return b.output(b.addon.fill(b.ints(attrs['shape'] as number[]), value, dtypeCode(tf.Fill, attrs['dtype'])));
  }),
  kernel(tf.Range, (_inputs, attrs, b) =>
    b.output(b.addon.range(attrs['start'] as number, attrs['stop'] as number, attrs['step'] as number, dtypeCode(tf.Range, attrs['dtype'])))),
  kernel(tf.UnsortedSegmentSum, (inputs, attrs, b) =>
    b.output(b.addon.unsortedSegmentSum(b.id(input(inputs, 'x')), b.id(input(inputs, 'segmentIds')), attrs['numSegments'] as number))),
];
