/**
 * Fuzz case generators for matrix products, convolutions and pooling (and their
 * gradients). Geometry comes from tfjs' own helpers, as the ops compute it; invalid cases
 * break one dimension the kernel must check.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { dim, tensor, type FuzzCase, type FuzzInput, type Rng } from './case.js';
import type { Generator } from './math-gen.js';

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'prelu', 'sigmoid'];

/** Adds 1 to one dimension of `t` (a shape the kernel must refuse). */
function broken(r: Rng, t: FuzzInput): FuzzInput {
  const shape = t.shape.slice();
  shape[r.int(shape.length)]! += 1;
  return tensor(r, shape, t.dtype);
}

function product(kernel: string, fused: boolean): Generator {
  return (r) => {
    const rank = fused ? 3 : r.pick([2, 3]);
    const [m, k, n] = [dim(r, 5), dim(r, 5), dim(r, 5)];
    const batch = rank === 3 ? r.between(1, 3) : 0;
    const transposeA = r.chance(0.5), transposeB = r.chance(0.5);
    const lead = (b: number): number[] => (rank === 3 ? [b] : []);
    const aBatch = rank === 3 && r.chance(0.2) ? 1 : batch;
    const bBatch = rank === 3 && aBatch !== 1 && r.chance(0.2) ? 1 : batch;
    let a = tensor(r, [...lead(aBatch), ...(transposeA ? [k, m] : [m, k])]);
    let b = tensor(r, [...lead(bBatch), ...(transposeB ? [n, k] : [k, n])]);
    const invalid = r.chance(0.15);
    // Invalid: one operand's inner dimension is k + 1, or an int32 operand.
    if (invalid && r.chance(0.2)) b = tensor(r, b.shape, 'int32');
    else if (invalid && r.chance(0.5)) a = tensor(r, [...lead(aBatch), ...(transposeA ? [k + 1, m] : [m, k + 1])]);
    else if (invalid) b = tensor(r, [...lead(bBatch), ...(transposeB ? [n, k + 1] : [k + 1, n])]);
    const inputs: Record<string, FuzzInput> = { a, b };
    const attrs: Record<string, unknown> = { transposeA, transposeB };
    if (fused) {
      const activation = r.pick(ACTIVATIONS);
      if (r.chance(0.7)) inputs['bias'] = tensor(r, r.pick([[n], [1], [m, n]]));
      if (activation === 'prelu') inputs['preluActivationWeights'] = tensor(r, [n]);
      Object.assign(attrs, { activation, leakyreluAlpha: 0.2 });
    }
    return { kernel, inputs, attrs, invalid };
  };
}

interface Geometry {
  x: number[];
  filter: number[];
  strides: [number, number];
  dilations: [number, number];
  pad: 'valid' | 'same';
  info: backend_util.Conv2DInfo;
}

/** Random conv geometry; null where tfjs' helpers refuse it or the output would be empty. */
function geometry(r: Rng): Geometry | null {
  const x = [r.chance(0.05) ? 0 : r.between(1, 2), r.between(1, 6), r.between(1, 6), r.between(1, 3)];
  const filter = [r.between(1, 3), r.between(1, 3), x[3]!, r.between(1, 3)];
  const strides: [number, number] = [r.between(1, 2), r.between(1, 2)];
  const dilations: [number, number] = strides[0] === 1 && strides[1] === 1 && r.chance(0.3) ? [2, 2] : [1, 1];
  const pad = r.pick(['valid', 'same'] as const);
  try {
    const info = backend_util.computeConv2DInfo(x as [number, number, number, number], filter as [number, number, number, number], strides, dilations, pad);
    return info.outHeight > 0 && info.outWidth > 0 ? { x, filter, strides, dilations, pad, info } : null;
  } catch {
    return null;
  }
}

function outShape(g: Geometry): number[] {
  return [g.x[0]!, g.info.outHeight, g.info.outWidth, g.filter[3]!];
}

function conv(kernel: string, fused: boolean): Generator {
  return (r) => {
    let g = geometry(r);
    while (g === null) g = geometry(r);
    // Invalid: a filter for other channels, or an int32 input.
    const invalid = r.chance(0.15);
    const wrongDtype = invalid && r.chance(0.3);
    const x = tensor(r, g.x, wrongDtype ? 'int32' : 'float32');
    const inputs: Record<string, FuzzInput> = { x, filter: tensor(r, invalid && !wrongDtype ? [...g.filter.slice(0, 2), g.x[3]! + 1, g.filter[3]!] : g.filter) };
    const attrs: Record<string, unknown> = { strides: g.strides, pad: g.pad, dataFormat: 'NHWC', dilations: g.dilations };
    if (fused) {
      const activation = r.pick(ACTIVATIONS);
      if (r.chance(0.7)) inputs['bias'] = tensor(r, [g.filter[3]!]);
      if (activation === 'prelu') inputs['preluActivationWeights'] = tensor(r, [g.filter[3]!]);
      Object.assign(attrs, { activation, leakyreluAlpha: 0.2 });
    }
    return { kernel, inputs, attrs, invalid };
  };
}

function convGeometry(r: Rng, noDilation: boolean): Geometry {
  for (;;) {
    const g = geometry(r);
    if (g !== null && (!noDilation || g.dilations[0] === 1)) return g;
  }
}

function poolGeometry(r: Rng): { x: number[]; attrs: Record<string, unknown>; out: number[] } {
  for (;;) {
    const x = [r.chance(0.05) ? 0 : r.between(1, 2), r.between(1, 6), r.between(1, 6), r.between(1, 3)];
    const attrs = { filterSize: [r.between(1, 3), r.between(1, 3)], strides: [r.between(1, 2), r.between(1, 2)], pad: r.pick(['valid', 'same']) };
    const info = backend_util.computePool2DInfo(x as [number, number, number, number], attrs.filterSize as [number, number], attrs.strides as [number, number], 1, attrs.pad as 'valid');
    if (info.outHeight > 0 && info.outWidth > 0) return { x, attrs, out: [x[0]!, info.outHeight, info.outWidth, x[3]!] };
  }
}

function pool(kernel: string): Generator {
  return (r) => {
    const g = poolGeometry(r);
    return { kernel, inputs: { x: tensor(r, g.x) }, attrs: g.attrs, invalid: false };
  };
}

function poolGrad(kernel: string, withOutput: boolean): Generator {
  return (r) => {
    const g = poolGeometry(r);
    const invalid = r.chance(0.15);
    const dy = tensor(r, g.out);
    const inputs: Record<string, FuzzInput> = { dy: invalid ? broken(r, dy) : dy, input: tensor(r, g.x) };
    if (withOutput) inputs['output'] = tensor(r, g.out);
    return { kernel, inputs, attrs: g.attrs, invalid };
  };
}

export const nnGenerators: Record<string, Generator> = {
  [tf.BatchMatMul]: product(tf.BatchMatMul, false),
  [tf._FusedMatMul]: product(tf._FusedMatMul, true),
  [tf.Conv2D]: conv(tf.Conv2D, false),
  [tf.FusedConv2D]: conv(tf.FusedConv2D, true),
  [tf.Conv2DBackpropInput]: (r): FuzzCase => {
    const g = convGeometry(r, true);
    const invalid = r.chance(0.15);
    const dy = tensor(r, outShape(g));
    return { kernel: tf.Conv2DBackpropInput, inputs: { dy: invalid ? broken(r, dy) : dy, filter: tensor(r, g.filter) },
      attrs: { strides: g.strides, pad: g.pad, dataFormat: 'NHWC', inputShape: g.x }, invalid };
  },
  [tf.Conv2DBackpropFilter]: (r): FuzzCase => {
    const g = convGeometry(r, true);
    const invalid = r.chance(0.15);
    const dy = tensor(r, outShape(g));
    return { kernel: tf.Conv2DBackpropFilter, inputs: { x: tensor(r, g.x), dy: invalid ? broken(r, dy) : dy },
      attrs: { strides: g.strides, pad: g.pad, dataFormat: 'NHWC', filterShape: g.filter }, invalid };
  },
  [tf.MaxPool]: pool(tf.MaxPool),
  [tf.AvgPool]: pool(tf.AvgPool),
  [tf.MaxPoolGrad]: poolGrad(tf.MaxPoolGrad, true),
  [tf.AvgPoolGrad]: poolGrad(tf.AvgPoolGrad, false),
};
