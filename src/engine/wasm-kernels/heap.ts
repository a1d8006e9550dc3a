/**
 * Small helpers for reading and writing tensors that live on the WASM heap.
 *
 * A view returned here is only valid until the next allocation: makeOutput may grow
 * the heap, which detaches every earlier view. Kernels therefore allocate first and
 * take views afterwards.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** A Float32Array over the tensor's bytes on the heap (no copy). */
export function f32View(backend: BackendWasm, info: TensorInfo): Float32Array {
  const { memoryOffset, shape } = backend.dataIdMap.get(info.dataId);
  let size = 1;
  for (const d of shape) size *= d;
  return new Float32Array(backend.wasm.HEAPU8.buffer, memoryOffset, size);
}

/** A new, uninitialised float32 tensor on the heap. */
export function allocF32(backend: BackendWasm, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

/** Frees an intermediate that this kernel created (drops one reference). */
export function release(backend: BackendWasm, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}

/**
 * The same data seen with another shape of equal size. Stock wasm kernels reshape
 * their inputs by reference counting, so such an alias can be passed to them; it is
 * never released by us because it owns no reference.
 */
export function alias(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** A float32 copy of `count` elements of `src` starting at element `offset`, as a new tensor. */
export function copySlice(backend: BackendWasm, src: TensorInfo, offset: number, count: number, shape: number[]): TensorInfo {
  const out = allocF32(backend, shape);
  f32View(backend, out).set(f32View(backend, src).subarray(offset, offset + count));
  return out;
}

/** Product of the dimensions (1 for a scalar shape). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
