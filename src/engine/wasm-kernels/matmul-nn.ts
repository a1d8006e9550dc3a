/**
 * The one fast matrix product in tfjs-backend-wasm 4.22: stock BatchMatMul with no
 * transposes and a batch of one goes to XNNPACK (about 25-30 GFLOP/s on one core);
 * every other case takes a scalar loop (0.5-2.5 GFLOP/s). Our kernels bring their
 * operands into that form and call this.
 */
import { BatchMatMul, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { alias } from './heap.js';
import { runStock } from './stock.js';

/** A new tensor [1, m, n] = a · b, where a holds [m, k] and b holds [k, n] row-major. */
export function matMulNN(backend: BackendWasm, a: TensorInfo, b: TensorInfo, m: number, k: number, n: number): TensorInfo {
  return runStock(BatchMatMul, backend, { a: alias(a, [1, m, k]), b: alias(b, [1, k, n]) }, {
    transposeA: false,
    transposeB: false,
  });
}
