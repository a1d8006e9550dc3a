/**
 * _FusedMatMul (matmul + bias + activation) for wasm without the slow transposed path.
 *
 * tfjs-layers' Dense forward calls fused matMul without transposes, which stock runs
 * on XNNPACK already; its gradient uses plain BatchMatMul (see batch-mat-mul.ts). A
 * fused call with a transpose flag (possible from user code) would fall to the
 * scalar loop, so the operand is transposed explicitly and the stock kernel called
 * without flags.
 */
import { _FusedMatMul, type _FusedMatMulAttrs, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { release, sizeOf } from './heap.js';
import { runStock } from './stock.js';
import { transposeLastTwo } from './transpose.js';

/** The operand with its last two axes swapped, as a new tensor of the same rank. */
function swapped(backend: BackendWasm, info: TensorInfo): TensorInfo {
  const r = info.shape.length;
  const rows = info.shape[r - 2] as number;
  const cols = info.shape[r - 1] as number;
  const out = transposeLastTwo(backend, info, sizeOf(info.shape.slice(0, -2)), rows, cols);
  return { dataId: out.dataId, shape: [...info.shape.slice(0, -2), cols, rows], dtype: 'float32' };
}

function fusedMatMul({ inputs, backend, attrs }: { inputs: Record<string, TensorInfo | undefined>; backend: object; attrs?: NamedAttrMap }): TensorInfo {
  const wasm = backend as BackendWasm;
  const fusedAttrs = attrs as unknown as _FusedMatMulAttrs;
  const a = inputs['a'] as TensorInfo;
  const b = inputs['b'] as TensorInfo;
  const plain = a.dtype !== 'float32' || b.dtype !== 'float32' || (!fusedAttrs.transposeA && !fusedAttrs.transposeB);
  if (plain) return runStock(_FusedMatMul, wasm, inputs as Record<string, TensorInfo>, attrs ?? {});

  const a2 = fusedAttrs.transposeA ? swapped(wasm, a) : a;
  const b2 = fusedAttrs.transposeB ? swapped(wasm, b) : b;
  const rest: Record<string, TensorInfo> = {};
  for (const [name, info] of Object.entries(inputs)) if (info != null && name !== 'a' && name !== 'b') rest[name] = info;
  const out = runStock(_FusedMatMul, wasm, { ...rest, a: a2, b: b2 }, { ...attrs, transposeA: false, transposeB: false });
  if (a2 !== a) release(wasm, a2);
  if (b2 !== b) release(wasm, b2);
  return out;
}

export const fusedMatMulConfig: Omit<KernelConfig, 'setupFunc' | 'disposeFunc'> = {
  kernelName: _FusedMatMul,
  backendName: 'wasm',
  kernelFunc: fusedMatMul as unknown as KernelFunc,
};
