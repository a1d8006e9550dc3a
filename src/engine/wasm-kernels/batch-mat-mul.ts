/**
 * BatchMatMul for wasm that keeps every product on the XNNPACK path.
 *
 * Stock 4.22 sends transposed operands, and batches larger than one, to a scalar
 * loop (0.5-2.5 GFLOP/s, against 25-30 on XNNPACK), and every Dense layer's backward
 * pass multiplies by transposed operands. Here a transposed operand is transposed
 * explicitly first (O(mk) work before O(mkn)), or, when that moves fewer elements,
 * the product is computed turned round, C^T = op(B)^T · op(A)^T (see
 * `swapIsCheaper`). A batch is run one matrix at a time, except tiny matrices, for
 * which our per-call overhead costs more than the stock loop.
 */
import {
  BatchMatMul,
  broadcast_util,
  util,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, alias, copySlice, f32View, release, sizeOf } from './heap.js';
import { matMulNN } from './matmul-nn.js';
import { runStock } from './stock.js';
import { transposeInto, transposeLastTwo } from './transpose.js';

/** Below this many multiply-adds per matrix a batched product stays on the stock loop (measured break-even: between 24³ and 32³). */
const MIN_MACS_PER_BATCH_ITEM = 32 * 32 * 32;

interface Operand {
  info: TensorInfo;
  /** Number of matrices stacked in `info` (1 means broadcast to every batch item). */
  batch: number;
  /** Rows and columns as stored. */
  rows: number;
  cols: number;
  transposed: boolean;
}

/**
 * Whether computing C^T = op(B)^T · op(A)^T and transposing it moves fewer elements
 * than transposing the operands of C = op(A) · op(B). Counted: explicit transposes,
 * plus the right operand, which XNNPACK repacks when it is a new tensor.
 * Example: a Dense layer's input gradient dy [128, 256] · W^T with W [512, 256]
 * transposes W (131k elements, plus packing) directly, but only dy and the
 * [128, 512] result when swapped.
 */
export function swapIsCheaper(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): boolean {
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + k * n;
  const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * k + m * n;
  return swapped < direct;
}

function operand(info: TensorInfo, transposed: boolean): Operand {
  const r = info.shape.length;
  return { info, batch: sizeOf(info.shape.slice(0, -2)), rows: info.shape[r - 2] as number, cols: info.shape[r - 1] as number, transposed };
}

/**
 * Matrix `item` of the operand in product order ([rows, cols] as used), and whether the
 * caller owns it (must release it) or it aliases the input.
 */
function matrixOf(backend: BackendWasm, op: Operand, item: number): { info: TensorInfo; owned: boolean } {
  const size = op.rows * op.cols;
  if (!op.transposed) {
    if (op.batch === 1) return { info: alias(op.info, [1, op.rows, op.cols]), owned: false };
    return { info: copySlice(backend, op.info, item * size, size, [1, op.rows, op.cols]), owned: true };
  }
  if (op.batch === 1) return { info: transposeLastTwo(backend, op.info, 1, op.rows, op.cols), owned: true };
  const out = allocF32(backend, [1, op.cols, op.rows]);
  transposeInto(f32View(backend, op.info).subarray(item * size, (item + 1) * size), f32View(backend, out), 1, op.rows, op.cols);
  return { info: out, owned: true };
}

function batchMatMul({ inputs, backend, attrs }: { inputs: Record<string, TensorInfo | undefined>; backend: object; attrs?: NamedAttrMap }): TensorInfo {
  const wasm = backend as BackendWasm;
  const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
  const a = inputs['a'] as TensorInfo;
  const b = inputs['b'] as TensorInfo;
  const stock = (): TensorInfo => runStock(BatchMatMul, wasm, { a, b }, attrs ?? {});
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock();

  const opA = operand(a, transposeA);
  const opB = operand(b, transposeB);
  const m = transposeA ? opA.cols : opA.rows;
  const k = transposeA ? opA.rows : opA.cols;
  const kB = transposeB ? opB.cols : opB.rows;
  const n = transposeB ? opB.rows : opB.cols;
  util.assert(k === kB, () =>
    `Error in matMul: inner shapes (${k}) and (${kB}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  const outBatchShape = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const outShape = [...outBatchShape, m, n];
  const batch = Math.max(opA.batch, opB.batch);

  if (batch === 1 && !transposeA && !transposeB) return stock();
  // Two different batch sizes above one broadcast by more than one axis; leave it to stock.
  if (opA.batch !== opB.batch && opA.batch > 1 && opB.batch > 1) return stock();
  if (batch > 1 && m * k * n < MIN_MACS_PER_BATCH_ITEM) return stock();

  if (batch === 1 && swapIsCheaper(m, k, n, transposeA, transposeB)) {
    // X = op(B)^T as [n, k], Y = op(A)^T as [k, m]: flipping each transpose flag.
    const mx = matrixOf(wasm, { ...opB, transposed: !transposeB }, 0);
    const my = matrixOf(wasm, { ...opA, transposed: !transposeA }, 0);
    const prodT = matMulNN(wasm, mx.info, my.info, n, k, m);
    if (mx.owned) release(wasm, mx.info);
    if (my.owned) release(wasm, my.info);
    const out = transposeLastTwo(wasm, prodT, 1, n, m);
    release(wasm, prodT);
    return { dataId: out.dataId, shape: outShape, dtype: 'float32' };
  }

  if (batch === 1) {
    const ma = matrixOf(wasm, opA, 0);
    const mb = matrixOf(wasm, opB, 0);
    const out = matMulNN(wasm, ma.info, mb.info, m, k, n);
    if (ma.owned) release(wasm, ma.info);
    if (mb.owned) release(wasm, mb.info);
    out.shape = outShape;
    return out;
  }

  // An operand shared by every batch item is prepared once (and XNNPACK then keeps
  // its packed weights for the whole loop, as they are keyed by tensor id).
  const sharedA = opA.batch === 1 ? matrixOf(wasm, opA, 0) : null;
  const sharedB = opB.batch === 1 ? matrixOf(wasm, opB, 0) : null;
  const out = allocF32(wasm, [batch, m, n]);
  for (let item = 0; item < batch; item++) {
    const ma = sharedA ?? matrixOf(wasm, opA, item % opA.batch);
    const mb = sharedB ?? matrixOf(wasm, opB, item % opB.batch);
    const prod = matMulNN(wasm, ma.info, mb.info, m, k, n);
    f32View(wasm, out).set(f32View(wasm, prod), item * m * n);
    release(wasm, prod);
    if (sharedA === null && ma.owned) release(wasm, ma.info);
    if (sharedB === null && mb.owned) release(wasm, mb.info);
  }
  if (sharedA?.owned) release(wasm, sharedA.info);
  if (sharedB?.owned) release(wasm, sharedB.info);
  return { dataId: out.dataId, shape: outShape, dtype: 'float32' };
}

export const batchMatMulConfig: Omit<KernelConfig, 'setupFunc' | 'disposeFunc'> = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
