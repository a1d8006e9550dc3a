/**
 * Test helpers: seeded data, and running one computation on the cpu backend (the
 * reference) and on wasm (with gblend's kernels) to compare the results.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../src/engine/index.js';

/** Deterministic values in [-1, 1) from a small LCG, so failures reproduce. */
export function seeded(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export interface Input {
  shape: number[];
  values: Float32Array;
}

export function input(shape: number[], seed: number): Input {
  return { shape, values: seeded(shape.reduce((p, q) => p * q, 1), seed) };
}

/** Runs `fn` on fresh tensors made from `inputs` on `backend`, returns flat results. */
export async function runOn(backend: 'cpu' | 'wasm', inputs: Input[], fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<{ shape: number[]; values: Float32Array }[]> {
  if (backend === 'wasm') await initEngine({ backend: 'wasm' });
  else await tf.setBackend('cpu');
  // Every intermediate of our kernels must be freed: the backend holds as many
  // buffers after the computation (all its tensors disposed) as before.
  const before = tf.backend().numDataIds();
  const result = tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape, 'float32'));
    const out = fn(...xs);
    const list = Array.isArray(out) ? out : [out];
    return list.map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  });
  assert.equal(tf.backend().numDataIds(), before, `${backend}: buffers leaked`);
  return result;
}

/**
 * Asserts every element matches within `tol` relative to the reference's largest
 * magnitude (elementwise relative error is meaningless near zero):
 * |got − want| ≤ tol · max(1, max|want|).
 */
export function assertClose(got: { shape: number[]; values: Float32Array }[], want: { shape: number[]; values: Float32Array }[], tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: number of outputs`);
  want.forEach((w, j) => {
    const g = got[j]!;
    assert.deepEqual(g.shape, w.shape, `${what}: output ${j} shape`);
    let scale = 1;
    for (const v of w.values) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    let at = -1;
    for (let i = 0; i < w.values.length; i++) {
      const err = Math.abs(g.values[i]! - w.values[i]!);
      if (!(err <= worst)) {
        worst = err;
        at = i;
      }
    }
    assert.ok(worst <= tol * scale, `${what}: output ${j} differs by ${worst} at ${at} (got ${g.values[at]}, want ${w.values[at]}, scale ${scale})`);
  });
}

/** The same computation on cpu and on wasm, compared with `assertClose`. */
export async function compareBackends(what: string, inputs: Input[], fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], tol = 1e-4): Promise<void> {
  const want = await runOn('cpu', inputs, fn);
  const got = await runOn('wasm', inputs, fn);
  assertClose(got, want, tol, what);
}
