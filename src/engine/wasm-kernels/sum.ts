/**
 * Sum for wasm when the reduced axes are the leading ones (for example [0, 1, 2] of
 * an NHWC conv output, or axis 0 of a Dense output): exactly the bias gradients of
 * every training step. Stock 4.22 first transposes such input with its slow
 * Transpose kernel (about 30 ms for a 64x28x28x64 map); here it is one pass that
 * adds rows into a float64 accumulator. Every other case goes to the stock kernel.
 */
import { backend_util, Sum, util, type KernelConfig, type KernelFunc, type NamedAttrMap, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, f32View, sizeOf } from './heap.js';
import { runStock } from './stock.js';

/** Number of leading axes reduced, or 0 when `axes` is not a proper leading prefix. */
export function leadingAxesCount(axes: readonly number[], rank: number): number {
  const sorted = [...new Set(axes)].sort((p, q) => p - q);
  if (sorted.length === 0 || sorted.length >= rank) return 0;
  return sorted.every((a, i) => a === i) ? sorted.length : 0;
}

/** out[c] = Σ_i x[i·inner + c] over `outer` rows. Pure apart from writing `out`. */
export function sumRows(x: Float32Array, outer: number, inner: number, out: Float32Array): void {
  const acc = new Float64Array(inner);
  for (let i = 0; i < outer; i++) {
    const base = i * inner;
    for (let c = 0; c < inner; c++) acc[c] += x[base + c] as number;
  }
  out.set(acc);
}

function sum({ inputs, backend, attrs }: { inputs: Record<string, TensorInfo | undefined>; backend: object; attrs?: NamedAttrMap }): TensorInfo {
  const wasm = backend as BackendWasm;
  const x = inputs['x'] as TensorInfo;
  const { axis, keepDims } = attrs as unknown as SumAttrs;
  const rank = x.shape.length;
  const axes = util.parseAxisParam(axis, x.shape);
  const lead = leadingAxesCount(axes, rank);
  if (x.dtype !== 'float32' || lead === 0 || sizeOf(x.shape) === 0) return runStock(Sum, wasm, { x }, attrs ?? {});

  const innerShape = x.shape.slice(lead);
  const out = allocF32(wasm, innerShape);
  sumRows(f32View(wasm, x), sizeOf(x.shape.slice(0, lead)), sizeOf(innerShape), f32View(wasm, out));
  const shape = keepDims ? backend_util.expandShapeToKeepDim(innerShape, axes) : innerShape;
  return { dataId: out.dataId, shape, dtype: 'float32' };
}

export const sumConfig: Omit<KernelConfig, 'setupFunc' | 'disposeFunc'> = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
};
