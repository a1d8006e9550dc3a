/**
 * The kernels that tfjs-backend-wasm registered before we replaced some of them.
 *
 * Our kernels delegate to the stock ones for the cases those handle well (for example
 * BatchMatMul without transposes, which runs on XNNPACK), so the originals are kept
 * here, and restoring them undoes the patch (the benchmark compares both).
 */
import { getKernel, type KernelConfig, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const saved = new Map<string, KernelConfig | null>();

/** Remembers the stock config of `kernelName` (null when wasm has none); first call wins. */
export function saveStock(kernelName: string): KernelConfig | null {
  if (!saved.has(kernelName)) saved.set(kernelName, getKernel(kernelName, 'wasm') ?? null);
  return saved.get(kernelName) ?? null;
}

/** The stock config saved earlier, or null when wasm never had this kernel. */
export function savedStock(kernelName: string): KernelConfig | null {
  return saved.get(kernelName) ?? null;
}

/** Runs the stock kernel `kernelName` (the saved one if patched, else the registered one). */
export function runStock(
  kernelName: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  const config = saved.get(kernelName) ?? getKernel(kernelName, 'wasm');
  if (config == null) throw new Error(`no stock wasm kernel '${kernelName}'`);
  const fn: KernelFunc = config.kernelFunc;
  const out = fn({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`stock wasm kernel '${kernelName}' returned several outputs`);
  return out;
}
