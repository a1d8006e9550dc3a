/**
 * Replaces slow or missing tfjs-backend-wasm 4.22 kernels with ours (each file says
 * why), and can put the stock ones back (the benchmark compares both):
 * - BatchMatMul, _FusedMatMul: transposed operands made explicit, so products stay
 *   on XNNPACK (1024² with a transpose: 1.5-2.5 -> 26-28 GFLOP/s);
 * - Conv2DBackpropFilter: missing in stock, so no conv net could train;
 * - Conv2DBackpropInput: XNNPACK convolution or im2col products, not a scalar loop;
 * - MaxPoolGrad, Sum over leading axes (bias gradients): single JS passes.
 * On one core this took a late-fusion MLP step from about 8 to 33 steps/s, and a
 * small conv net from "throws" to 2.8 steps/s.
 *
 * A replacement keeps the stock kernel's setupFunc: the wasm backend binds its C
 * functions in those, and our kernels still call the stock ones for the fast cases.
 * So patching works before or after the backend is initialised.
 */
import { registerKernel, unregisterKernel, getKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { fusedMatMulConfig } from './fused-mat-mul.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { saveStock, savedStock } from './stock.js';
import { sumConfig } from './sum.js';

type Replacement = Omit<KernelConfig, 'setupFunc' | 'disposeFunc'>;

const REPLACEMENTS: readonly Replacement[] = [
  batchMatMulConfig,
  fusedMatMulConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  maxPoolGradConfig,
  sumConfig,
];

/** Names of the kernels this module replaces or adds, in registration order. */
export const WASM_KERNEL_NAMES: readonly string[] = REPLACEMENTS.map((r) => r.kernelName);

const patched = new Set<string>();

/** Registers our wasm kernels (idempotent); returns the names now patched. */
export function patchWasmKernels(): string[] {
  for (const r of REPLACEMENTS) {
    if (patched.has(r.kernelName)) continue;
    const stock = saveStock(r.kernelName);
    if (stock !== null) unregisterKernel(r.kernelName, 'wasm');
    const config: KernelConfig = { ...r };
    if (stock?.setupFunc !== undefined) config.setupFunc = stock.setupFunc;
    if (stock?.disposeFunc !== undefined) config.disposeFunc = stock.disposeFunc;
    registerKernel(config);
    patched.add(r.kernelName);
  }
  return [...patched];
}

/** Puts the stock kernels back (and removes the ones wasm never had). */
export function restoreStockWasmKernels(): void {
  for (const name of [...patched]) {
    if (getKernel(name, 'wasm') !== undefined) unregisterKernel(name, 'wasm');
    const stock = savedStock(name);
    if (stock !== null) registerKernel(stock);
    patched.delete(name);
  }
}

/** Names of the kernels currently patched. */
export function patchedWasmKernels(): string[] {
  return [...patched];
}
